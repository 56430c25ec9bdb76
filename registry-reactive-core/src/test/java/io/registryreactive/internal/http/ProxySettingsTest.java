package io.registryreactive.internal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.registryreactive.ProxyOptions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProxySettingsTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "*                      | anything.example | 443  | true",
        "example.com            | example.com      | 443  | true",
        "example.com            | a.b.example.com  | 443  | true",
        "example.com            | badexample.com   | 443  | false",
        ".example.com           | a.example.com    | 443  | true",
        "registry.local:5000    | registry.local   | 5000 | true",
        "registry.local:5000    | registry.local   | 443  | false",
        "10.0.0.0/8             | 10.20.30.40      | 443  | true",
        "10.0.0.0/8             | 11.0.0.1         | 443  | false",
        "127.0.0.1              | 127.0.0.1        | 80   | true",
        "localhost              | 127.0.0.1        | 80   | false",
        "::1                    | [::1]            | 80   | true",
        "' a.com , b.com '      | b.com            | 80   | true"
      })
  void bypasses_followsNoProxyRules(String noProxy, String host, int port, boolean direct) {
    ProxySettings p = new ProxySettings("proxy", 3128, ProxySettings.parseNoProxy(noProxy));
    assertThat(p.bypasses(host, port)).isEqualTo(direct);
  }

  @Test
  void fromEnvironment_upperCaseBeforeLowerCase_andNoneWhenUnset() {
    assertThat(ProxyOptions.fromEnvironment(Map.of()).toString()).isEqualTo("ProxyOptions[none]");
    assertThat(
            ProxyOptions.fromEnvironment(
                    Map.of("HTTPS_PROXY", "http://upper:1", "https_proxy", "http://lower:2"))
                .toString())
        .contains("https=http://upper:1");
    assertThat(ProxyOptions.fromEnvironment(Map.of("https_proxy", "lower:2")).toString())
        .contains("https=http://lower:2")
        .contains("http=none");
  }

  @Test
  void proxyUrlWithUserInfo_isRefusedWithoutRepeatingIt() {
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                ProxyOptions.fromEnvironment(Map.of("HTTPS_PROXY", "http://bob:s3cret@proxy:3128")))
        .withMessageContaining("HTTPS_PROXY")
        .withMessageNotContaining("s3cret");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ProxyOptions.of("https://proxy:3128"))
        .withMessageContaining("http://");
    assertThat(ProxyOptions.of("proxy:3128").toString()).contains("http://proxy:3128");
  }
}
