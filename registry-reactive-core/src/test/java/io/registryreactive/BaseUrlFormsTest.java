package io.registryreactive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/** The forms {@code baseUrl} accepts, what it refuses, and the plain-http warning. */
class BaseUrlFormsTest {

  @ParameterizedTest
  @CsvSource({
    "127.0.0.1:5055, https://127.0.0.1:5055",
    "registry.example.com, https://registry.example.com",
    "registry.example.com:5000/mirror, https://registry.example.com:5000/mirror",
    "http://127.0.0.1:5000, http://127.0.0.1:5000",
    "https://registry.example.com, https://registry.example.com"
  })
  void baseUrl_withoutScheme_meansHttps(String given, String expected) {
    try (ReactiveRegistryClient c = ReactiveRegistryClient.builder().baseUrl(given).build()) {
      assertThat(c.baseUrl()).isEqualTo(URI.create(expected));
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://ci:hunter2@registry.example.com",
        "ci:hunter2@127.0.0.1:5670",
        "http://ci:hunter2@127.0.0.1:5670/v2",
        "ci:hunter2@[::1",
        "ftp://ci:hunter2@host",
        "ci:hunter2@"
      })
  void baseUrl_withUserInfo_isRefusedWithoutRepeatingIt(String given) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ReactiveRegistryClient.builder().baseUrl(given))
        .withMessageContaining("must not carry credentials")
        .withMessageContaining("--password-stdin")
        .withMessageNotContaining("hunter2");
  }

  @Test
  void baseUrl_uriWithUserInfo_isRefusedWithoutRepeatingIt() {
    assertThatIllegalArgumentException()
        .isThrownBy(
            () -> ReactiveRegistryClient.builder().baseUrl(URI.create("ftp://ci:hunter2@host")))
        .withMessageNotContaining("hunter2");
  }

  @Test
  void credentialsOverPlainHttpToAnotherHost_logOneWarning() {
    Logger logger =
        (Logger) LoggerFactory.getLogger(ReactiveRegistryClient.class.getName() + ".plainHttp");
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    logger.addAppender(logs);
    try {
      RegistryCredentials creds = RegistryCredentials.basic("ci", "pw-for-warning");
      ReactiveRegistryClient.builder()
          .baseUrl("http://registry.example.com:5000")
          .credentials(creds)
          .build()
          .close();
      assertThat(logs.list)
          .singleElement()
          .satisfies(
              e ->
                  assertThat(e.getFormattedMessage())
                      .contains("plain http to registry.example.com:5000")
                      .doesNotContain("pw-for-warning"));
      logs.list.clear();
      ReactiveRegistryClient.builder()
          .baseUrl("http://127.0.0.1:5000")
          .credentials(creds)
          .build()
          .close();
      ReactiveRegistryClient.builder()
          .baseUrl("http://localhost:5000")
          .credentials(creds)
          .build()
          .close();
      ReactiveRegistryClient.builder()
          .baseUrl("https://registry.example.com")
          .credentials(creds)
          .build()
          .close();
      ReactiveRegistryClient.builder().baseUrl("http://registry.example.com").build().close();
      assertThat(logs.list).isEmpty();
    } finally {
      logger.detachAppender(logs);
    }
  }
}
