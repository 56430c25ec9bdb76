package io.registryreactive.auth;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.registryreactive.auth.RegistryStubs.PASSWORD;
import static io.registryreactive.auth.RegistryStubs.REPO;
import static io.registryreactive.auth.RegistryStubs.TIMEOUT;
import static io.registryreactive.auth.RegistryStubs.USER;
import static io.registryreactive.auth.RegistryStubs.base64;
import static io.registryreactive.auth.RegistryStubs.bearerChallenge;
import static io.registryreactive.auth.RegistryStubs.echo;
import static io.registryreactive.auth.RegistryStubs.stubChallenge;
import static io.registryreactive.auth.RegistryStubs.stubTokenGet;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.matching.StringValuePattern;
import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.RegistryCredentials;
import io.registryreactive.RegistryResponseException;
import io.registryreactive.RetryOptions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * Registries and token services that echo the request's credentials back, in text and JSON bodies:
 * no secret reaches an exception message, {@code toString()}, a body excerpt, an error entry or a
 * log line at any level.
 */
class EchoedSecretsTest {

  @RegisterExtension static final WireMockExtension registry = RegistryStubs.echoingServer();

  @RegisterExtension static final WireMockExtension tokenServer = RegistryStubs.echoingServer();

  private static final String ISSUED_TOKEN = "issued-T0ken-zzzzqqqq";

  /** Loggers captured at TRACE, and kept off the console (reactor.netty at TRACE is huge). */
  private static final List<String> CAPTURED =
      List.of("io.registryreactive", "reactor.netty", "io.netty");

  /** Netty threads keep logging while the test reads: a list that may be read during appends. */
  private static final class ConcurrentListAppender
      extends ch.qos.logback.core.AppenderBase<ILoggingEvent> {
    final List<ILoggingEvent> list = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    protected void append(ILoggingEvent event) {
      list.add(event);
    }
  }

  private final ConcurrentListAppender logs = new ConcurrentListAppender();

  @BeforeEach
  void captureLogs() {
    logs.start();
    for (String name : CAPTURED) {
      Logger logger = (Logger) LoggerFactory.getLogger(name);
      logger.setLevel(Level.TRACE);
      logger.setAdditive(false);
      logger.addAppender(logs);
    }
  }

  @AfterEach
  void restoreLogs() {
    for (String name : CAPTURED) {
      Logger logger = (Logger) LoggerFactory.getLogger(name);
      logger.detachAppender(logs);
      logger.setAdditive(true);
      logger.setLevel(name.equals("io.registryreactive") ? Level.INFO : null);
    }
  }

  private static ReactiveRegistryClient client() {
    return ReactiveRegistryClient.builder()
        .baseUrl("http://127.0.0.1:" + registry.getPort())
        .credentials(RegistryCredentials.basic(USER, PASSWORD))
        .retry(RetryOptions.disabled())
        .build();
  }

  private static List<String> secrets() {
    return List.of(PASSWORD, base64(USER + ":" + PASSWORD), ISSUED_TOKEN);
  }

  private RegistryResponseException failure(ReactiveRegistryClient c) {
    Throwable[] seen = new Throwable[1];
    try {
      c.tags(REPO).collectList().block(TIMEOUT);
    } catch (RuntimeException e) {
      seen[0] = e;
    }
    assertThat(seen[0]).isInstanceOf(RegistryResponseException.class);
    return (RegistryResponseException) seen[0];
  }

  /** Lists tags with a fresh {@link #client()}, closed afterwards, and returns the failure. */
  private RegistryResponseException failure() {
    try (ReactiveRegistryClient c = client()) {
      return failure(c);
    }
  }

  private void assertNoSecretIn(RegistryResponseException e) {
    List<String> texts =
        new ArrayList<>(List.of(e.getMessage(), e.toString(), e.bodyExcerpt(), e.url()));
    e.errors().forEach(err -> texts.add(err.toString() + " " + err.detail()));
    logs.list.forEach(
        ev -> {
          texts.add(ev.getFormattedMessage());
          if (ev.getThrowableProxy() != null) {
            texts.add(String.valueOf(ev.getThrowableProxy().getMessage()));
          }
        });
    for (String text : texts) {
      for (String secret : secrets()) {
        assertThat(text).as("text %s", text).doesNotContain(secret);
      }
      assertThat(text).doesNotContain("Basic " + base64(USER + ":" + PASSWORD).substring(0, 4));
    }
    assertThat(logs.list).as("the capture works").isNotEmpty();
  }

  /** Tag-list requests that carry a matching {@code Authorization} get {@code answer}. */
  private static void stubTags(StringValuePattern authorization, ResponseDefinitionBuilder answer) {
    registry.stubFor(
        get(urlPathMatching("/v2/.+/tags/list"))
            .atPriority(1)
            .withHeader("Authorization", authorization)
            .willReturn(answer));
  }

  /** A Basic-auth registry whose tag list, once authenticated, gets {@code answer}. */
  private static void stubBasicRegistryAnswering(ResponseDefinitionBuilder answer) {
    stubChallenge(registry, "Basic realm=\"r\"");
    stubTags(matching("Basic .*"), answer);
  }

  @Test
  void basicRegistryEchoingAuthorization_inJsonAndText_leaksNothing() {
    stubBasicRegistryAnswering(
        echo(
            403,
            "application/json",
            "{\"errors\":[{\"code\":\"DENIED\",\"message\":\"denied for {{request.headers.Authorization}}\","
                + "\"detail\":\"you sent {{request.headers.Authorization}}\"}]}"));
    RegistryResponseException e = failure();
    assertThat(e.statusCode()).isEqualTo(403);
    assertThat(e.getMessage()).contains("denied for Basic ***");
    assertNoSecretIn(e);
  }

  @Test
  void registryEchoingInPlainText_leaksNothing() {
    stubBasicRegistryAnswering(
        echo(
            500,
            "text/plain",
            "Internal error. Request headers:\nAuthorization: {{request.headers.Authorization}}\n"
                + "decoded: "
                + USER
                + ":"
                + PASSWORD
                + "\n"));
    assertNoSecretIn(failure());
  }

  @Test
  void tokenServiceEchoingAuthorization_leaksNothing() {
    stubChallenge(registry, bearerChallenge(tokenServer));
    stubTokenGet(
        tokenServer,
        echo(
            401,
            "application/json",
            "{\"details\":\"bad credentials: {{request.headers.Authorization}}\"}"));
    RegistryResponseException e = failure();
    assertThat(e.statusCode()).isEqualTo(401);
    assertNoSecretIn(e);
  }

  @Test
  void oauth2TokenServiceEchoingTheForm_leaksNothing() {
    stubChallenge(registry, bearerChallenge(tokenServer));
    tokenServer.stubFor(
        post(urlPathEqualTo("/token"))
            .willReturn(echo(400, "text/plain", "cannot parse form {{request.body}}")));
    try (ReactiveRegistryClient c =
        ReactiveRegistryClient.builder()
            .baseUrl("http://127.0.0.1:" + registry.getPort())
            .credentials(RegistryCredentials.basic(USER, PASSWORD))
            .oauth2PasswordGrant(true)
            .retry(RetryOptions.disabled())
            .build()) {
      RegistryResponseException e = failure(c);
      assertThat(e.getMessage()).contains("password=***");
      assertNoSecretIn(e);
    }
  }

  @Test
  void registryEchoingTheBearerTokenItWasGiven_leaksNothing() {
    stubChallenge(registry, bearerChallenge(tokenServer));
    stubTokenGet(tokenServer, ISSUED_TOKEN);
    stubTags(
        equalTo("Bearer " + ISSUED_TOKEN),
        // The token without its scheme: only the registered-secret net can catch it.
        echo(
            404,
            "text/plain",
            "no such repository for token {{regexExtract request.headers.Authorization '[^ ]+$'}}"));
    RegistryResponseException e = failure();
    assertThat(e.getMessage()).contains("for token ***");
    assertNoSecretIn(e);
  }
}
