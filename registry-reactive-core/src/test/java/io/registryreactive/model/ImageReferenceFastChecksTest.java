package io.registryreactive.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The hand-written checks that let a valid name, tag or digest skip the regular expressions must
 * accept exactly what the grammar accepts (a check that accepted more would let an invalid
 * reference through; one that accepted less would only be slower, but would hide a drift). The
 * oracle is the distribution grammar, written here as patterns independent of the main code.
 */
class ImageReferenceFastChecksTest {
  private static final String COMPONENT = "[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*";
  private static final Pattern PATH = Pattern.compile(COMPONENT + "(?:/" + COMPONENT + ")*");
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");
  private static final Pattern PLAIN_DIGEST =
      Pattern.compile("sha256:[0-9a-f]{64}|sha512:[0-9a-f]{128}");

  private static final String HEX = "0123456789abcdef";

  @Test
  void pathCheckMatchesTheGrammar() {
    for (String s : samples("abz09._-/A:@ ", 40, 200_000, 1)) {
      assertThat(ImageReference.isPlainPath(s))
          .as("path %s", s)
          .isEqualTo(PATH.matcher(s).matches());
    }
    assertThat(ImageReference.isPlainPath("bench/app")).isTrue();
    assertThat(ImageReference.isPlainPath("a__b/c.d-e--f_g")).isTrue();
    for (String bad : List.of("", "/a", "a/", "a//b", "a___b", "a._b", "a-", "-a", "A", "a/_b")) {
      assertThat(ImageReference.isPlainPath(bad)).as(bad).isFalse();
    }
  }

  @Test
  void tagCheckMatchesTheGrammar() {
    for (String s : samples("aZ09._-:/@ ", 20, 200_000, 2)) {
      assertThat(ImageReference.isPlainTag(s)).as("tag %s", s).isEqualTo(TAG.matcher(s).matches());
    }
    assertThat(ImageReference.isPlainTag("a".repeat(128))).isTrue();
    assertThat(ImageReference.isPlainTag("a".repeat(129))).isFalse();
    assertThat(ImageReference.isPlainTag("_x")).isTrue();
    assertThat(ImageReference.isPlainTag(".x")).isFalse();
  }

  @Test
  void digestCheckAcceptsOnlyCanonicalSha256AndSha512() {
    Random random = new Random(3);
    for (int i = 0; i < 100_000; i++) {
      String algorithm =
          random.nextBoolean() ? "sha256:" : random.nextBoolean() ? "sha512:" : "md5:";
      int length =
          random.nextInt(4) == 0 ? random.nextInt(140) : algorithm.equals("sha512:") ? 128 : 64;
      StringBuilder b = new StringBuilder(algorithm);
      for (int j = 0; j < length; j++) {
        b.append(
            random.nextInt(50) == 0
                ? "AG-:".charAt(random.nextInt(4))
                : HEX.charAt(random.nextInt(16)));
      }
      String s = b.toString();
      boolean plain = ImageReference.isPlainDigest(s);
      assertThat(plain).as("digest %s", s).isEqualTo(PLAIN_DIGEST.matcher(s).matches());
      if (plain) {
        // What the fast check accepts, the full check accepts too.
        assertThat(ImageReference.isValidDigest(s)).isTrue();
      }
    }
  }

  /** Random strings over an alphabet, biased towards valid-looking ones by short lengths. */
  private static List<String> samples(String alphabet, int maxLength, int count, long seed) {
    Random random = new Random(seed);
    List<String> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int length = random.nextInt(maxLength + 1);
      StringBuilder b = new StringBuilder(length);
      for (int j = 0; j < length; j++) {
        // Mostly the first characters (letters, digits), so that valid strings are common.
        int k = random.nextInt(3) == 0 ? random.nextInt(alphabet.length()) : random.nextInt(4);
        b.append(alphabet.charAt(k));
      }
      out.add(b.toString());
    }
    return out;
  }
}
