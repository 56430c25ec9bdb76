package io.registryreactive.internal.prune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BlobSizesTest {

  private static Map<String, Long> source() {
    Map<String, Long> m = new LinkedHashMap<>();
    m.put("sha256:c0nf", 1_234L);
    m.put("sha256:1a", 5_000_000_000L);
    m.put("sha256:0b", 0L);
    return m;
  }

  @Test
  void isTheSameMapInTheSameOrder() {
    Map<String, Long> compact = BlobSizes.copyOf(source());
    assertThat(compact).isEqualTo(source()).isEqualTo(new HashMap<>(source()));
    assertThat(new HashMap<>(source())).isEqualTo(compact);
    assertThat(compact.hashCode()).isEqualTo(source().hashCode());
    assertThat(compact.keySet()).containsExactly("sha256:c0nf", "sha256:1a", "sha256:0b");
    assertThat(compact.values()).containsExactly(1_234L, 5_000_000_000L, 0L);
    assertThat(compact.get("sha256:1a")).isEqualTo(5_000_000_000L);
    assertThat(compact.get("sha256:none")).isNull();
    assertThat(compact.containsKey("sha256:0b")).isTrue();
    assertThat(compact.containsKey(null)).isFalse();
    assertThat(compact.values().stream().mapToLong(Long::longValue).sum())
        .isEqualTo(5_000_001_234L);
    assertThat(BlobSizes.copyOf(compact)).isSameAs(compact);
    assertThat(BlobSizes.copyOf(Map.of())).isEmpty();
  }

  @Test
  void cannotBeChanged() {
    Map<String, Long> compact = BlobSizes.copyOf(source());
    assertThatThrownBy(() -> compact.put("sha256:x", 1L))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> compact.remove("sha256:1a"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> compact.entrySet().iterator().next().setValue(2L))
        .isInstanceOf(UnsupportedOperationException.class);
    Iterator<String> keys = compact.keySet().iterator();
    keys.next();
    assertThatThrownBy(keys::remove).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(compact::clear).isInstanceOf(UnsupportedOperationException.class);
    assertThat(compact).hasSize(3);
  }

  @Test
  void refusesNulls() {
    Map<String, Long> nullSize = new HashMap<>();
    nullSize.put("sha256:a", null);
    assertThatThrownBy(() -> BlobSizes.copyOf(nullSize)).isInstanceOf(NullPointerException.class);
    Map<String, Long> nullDigest = new HashMap<>();
    nullDigest.put(null, 1L);
    assertThatThrownBy(() -> BlobSizes.copyOf(nullDigest)).isInstanceOf(NullPointerException.class);
  }
}
