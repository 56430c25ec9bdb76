package io.registryreactive.internal.prune;

import java.util.Objects;

/**
 * A set of strings in one open-addressing table (linear probing, at most half full): about 8 bytes
 * per element beside the strings themselves, where a {@link java.util.HashSet} takes some 40. For
 * the sets of digests a plan of a million images goes through; add and look up only. Not
 * thread-safe.
 */
final class CompactStringSet {
  private String[] table = new String[16];
  private int size;

  /**
   * @param s a string
   * @return whether it was added (it was not in the set)
   */
  boolean add(String s) {
    Objects.requireNonNull(s, "s");
    if (2 * (size + 1) > table.length) {
      grow();
    }
    return insert(table, s);
  }

  /**
   * @param s a string
   * @return whether it is in the set
   */
  boolean contains(String s) {
    int mask = table.length - 1;
    for (int i = slot(s, mask); table[i] != null; i = (i + 1) & mask) {
      if (table[i].equals(s)) {
        return true;
      }
    }
    return false;
  }

  /**
   * @return how many strings the set holds
   */
  int size() {
    return size;
  }

  private boolean insert(String[] into, String s) {
    int mask = into.length - 1;
    int i = slot(s, mask);
    for (; into[i] != null; i = (i + 1) & mask) {
      if (into[i].equals(s)) {
        return false;
      }
    }
    into[i] = s;
    size++;
    return true;
  }

  private void grow() {
    String[] old = table;
    table = new String[old.length * 2];
    size = 0;
    for (String s : old) {
      if (s != null) {
        insert(table, s);
      }
    }
  }

  private static int slot(String s, int mask) {
    // Spread the hash (as HashMap does) so that strings differing only at the end do not crowd.
    int h = s.hashCode() * 0x9E3779B9;
    return (h ^ (h >>> 16)) & mask;
  }
}
