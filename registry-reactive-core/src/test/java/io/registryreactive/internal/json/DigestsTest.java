package io.registryreactive.internal.json;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DigestsTest {

  // Known values: sha256("abc") and sha512("abc") from FIPS 180-2, sha256("") well known.
  private static final String SHA256_ABC =
      "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
  private static final String SHA512_ABC =
      "sha512:ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
          + "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f";
  private static final String SHA256_EMPTY =
      "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  private static final byte[] ABC = "abc".getBytes(UTF_8);

  @Test
  void sha256_whenBytes_returnsPrefixedLowerCaseHex() {
    assertThat(Digests.sha256(ABC)).isEqualTo(SHA256_ABC);
    assertThat(Digests.sha256(new byte[0])).isEqualTo(SHA256_EMPTY);
  }

  @Test
  void sha256_whenSplitOverBuffers_equalsDigestOfWholeAndLeavesPositions() {
    ByteBuffer a = ByteBuffer.wrap("xxa".getBytes(UTF_8)).position(2);
    ByteBuffer bc = ByteBuffer.allocateDirect(2).put("bc".getBytes(UTF_8)).flip();

    assertThat(Digests.sha256(a, bc)).isEqualTo(SHA256_ABC);
    assertThat(a.position()).isEqualTo(2);
    assertThat(bc.remaining()).isEqualTo(2);
  }

  @Test
  void sha256Accumulator_whenChunksAdded_equalsDigestOfWholeAndCountsBytes() {
    Digests.Sha256 sha256 =
        new Digests.Sha256().update(ByteBuffer.wrap(new byte[] {'a'})).update("bc".getBytes(UTF_8));

    assertThat(sha256.byteCount()).isEqualTo(3);
    assertThat(sha256.digest()).isEqualTo(SHA256_ABC);
    assertThat(sha256.digest()).as("second call").isEqualTo(SHA256_ABC);
  }

  @Test
  void sha256Accumulator_whenUpdatedAfterDigest_throws() {
    Digests.Sha256 sha256 = new Digests.Sha256();
    sha256.digest();

    assertThatThrownBy(() -> sha256.update(ABC)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void matches_whenSha256OrSha512OfContent_isTrue() {
    assertThat(Digests.matches(SHA256_ABC, ABC)).isTrue();
    assertThat(Digests.matches(SHA512_ABC, ABC)).isTrue();
  }

  @Test
  void matches_whenContentDiffers_isFalse() {
    byte[] abd = "abd".getBytes(UTF_8);

    assertThat(Digests.matches(SHA256_ABC, abd)).isFalse();
    assertThat(Digests.matches(SHA512_ABC, abd)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "md5:900150983cd24fb0d6963f7d28e17f72",
        "sha256:BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD",
        "sha256:ba7816bf",
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        ""
      })
  void matches_whenDigestUnsupportedOrMalformed_throwsIllegalArgument(String digest) {
    assertThat(Digests.isSupported(digest)).isFalse();
    assertThatThrownBy(() -> Digests.matches(digest, ABC))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sha256 and sha512");
  }

  @Test
  void isWellFormed_whenOtherAlgorithmFollowsGrammar_isTrueButUnsupported() {
    String blake3 = "blake3:af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262";

    assertThat(Digests.isWellFormed(blake3)).isTrue();
    assertThat(Digests.isSupported(blake3)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "sha256:../../etc/passwd",
        "sha256",
        ":abc",
        "SHA256:abc",
        "sha256:ab c",
        "sha512:ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
      })
  void isWellFormed_whenMalformed_isFalse(String digest) {
    assertThat(Digests.isWellFormed(digest)).isFalse();
  }
}
