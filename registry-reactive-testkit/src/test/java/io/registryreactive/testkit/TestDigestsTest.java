package io.registryreactive.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The kit's digests are the published SHA-256 values (FIPS 180-2 test vectors). */
class TestDigestsTest {

  @Test
  void sha256_ofAbc_isTheFipsVector() {
    assertThat(TestDigests.sha256("abc"))
        .isEqualTo("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  @Test
  void sha256_ofNoBytes_isTheEmptyDigest() {
    assertThat(TestDigests.sha256(new byte[0]))
        .isEqualTo("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  }

  @Test
  void sha256_ofString_hashesItsUtf8Bytes() {
    assertThat(TestDigests.sha256("é"))
        .isEqualTo(TestDigests.sha256("é".getBytes(StandardCharsets.UTF_8)))
        .isNotEqualTo(TestDigests.sha256("é".getBytes(StandardCharsets.ISO_8859_1)));
  }
}
