package io.registryreactive.internal.prune;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CompactStringSetTest {

  @Test
  void behavesAsAHashSetThroughManyGrowths() {
    CompactStringSet compact = new CompactStringSet();
    Set<String> reference = new HashSet<>();
    Random random = new Random(42);
    for (int i = 0; i < 50_000; i++) {
      // Few enough values that many adds are repeats.
      String s = "sha256:" + Integer.toHexString(random.nextInt(30_000));
      assertThat(compact.add(s)).isEqualTo(reference.add(s));
    }
    assertThat(compact.size()).isEqualTo(reference.size());
    for (int i = 0; i < 40_000; i++) {
      String s = "sha256:" + Integer.toHexString(i);
      assertThat(compact.contains(s)).as(s).isEqualTo(reference.contains(s));
    }
  }

  @Test
  void tellsApartStringsWithTheSameHash() {
    // "Aa" and "BB" have the same hashCode, and so have their concatenations.
    assertThat("AaAa".hashCode()).isEqualTo("BBBB".hashCode()).isEqualTo("AaBB".hashCode());
    CompactStringSet set = new CompactStringSet();
    assertThat(set.add("AaAa")).isTrue();
    assertThat(set.add("BBBB")).isTrue();
    assertThat(set.contains("AaBB")).isFalse();
    assertThat(set.add("AaBB")).isTrue();
    assertThat(set.add("BBBB")).isFalse();
    assertThat(set.contains("BBAa")).isFalse();
    assertThat(set.size()).isEqualTo(3);
  }

  @Test
  void anEmptySetHoldsNothing() {
    CompactStringSet set = new CompactStringSet();
    assertThat(set.contains("")).isFalse();
    assertThat(set.size()).isZero();
    assertThat(set.add("")).isTrue();
    assertThat(set.contains("")).isTrue();
  }
}
