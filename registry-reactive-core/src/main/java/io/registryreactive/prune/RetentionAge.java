package io.registryreactive.prune;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How old an image may be and still be kept by {@link
 * RetentionPolicy.Builder#keepNewerThan(RetentionAge)}: a calendar part (years, months, days) plus
 * an exact part (hours, minutes, seconds).
 *
 * <p>{@link #parse} reads the short forms {@code 45s}, {@code 90min}, {@code 12h}, {@code 30d},
 * {@code 2w}, {@code 6mo}, {@code 1y} (one number and one unit; case-insensitive) and ISO-8601
 * periods and durations: {@code P6M} (six months), {@code P2W}, {@code P30D}, {@code PT12H}, {@code
 * PT90M} (ninety minutes), {@code P1Y2M3DT4H}. A bare {@code m} ({@code 6m}, {@code 6M}) is
 * refused: it means minutes to some and months to others; write {@code 6mo} or {@code 6min}.
 *
 * <p>Months and years are calendar months and years, counted back in UTC from the plan's clock
 * ({@link #cutoff(Instant)}): {@code 6mo} planned on 31 August keeps images created after 29
 * February (or 28th), not after a fixed 180 days. Days and weeks are 24-hour days (UTC has no
 * daylight saving).
 *
 * <p>An age must be positive and at most {@link #MAX_YEARS} years (a longer one is a typo, and its
 * cutoff may not be representable), counting a month as a twelfth of an average Gregorian year (so
 * {@code 100y} and {@code 1200mo} pass, {@code 36525d} does not); both are checked when the age is
 * made, before any request. Instances are immutable; equal when both parts are.
 */
public final class RetentionAge {

  /** The longest age accepted: 100 years. */
  public static final int MAX_YEARS = 100;

  private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*([a-z]+)");
  private static final Pattern LONG_NUMBER = Pattern.compile("\\d{10,}");

  /** An average Gregorian month (365.2425 days / 12), to compare ages mixing months and hours. */
  private static final long SECONDS_PER_MONTH = 2_629_746L;

  private static final Duration MAX_LENGTH =
      Duration.ofSeconds(MAX_YEARS * 12L * SECONDS_PER_MONTH);

  private final Period period;
  private final Duration time;

  private RetentionAge(Period period, Duration time, String input) {
    if (period.isNegative() || time.isNegative() || (period.isZero() && time.isZero())) {
      throw new IllegalArgumentException("keep-newer-than must be positive, was " + input);
    }
    this.period = period;
    this.time = time;
    boolean tooLong;
    try {
      tooLong =
          Duration.ofSeconds(
                      period.toTotalMonths() * SECONDS_PER_MONTH + period.getDays() * 86_400L)
                  .plus(time)
                  .compareTo(MAX_LENGTH)
              > 0;
    } catch (ArithmeticException e) {
      tooLong = true;
    }
    if (tooLong) {
      throw tooLong(input);
    }
  }

  /**
   * An exact age.
   *
   * @param age a positive duration of at most {@link #MAX_YEARS} years
   * @return the age
   * @throws IllegalArgumentException if {@code age} is not positive or too long
   */
  public static RetentionAge of(Duration age) {
    Objects.requireNonNull(age, "'age' must not be null");
    return new RetentionAge(Period.ZERO, age, age.toString());
  }

  /**
   * A calendar age.
   *
   * @param age a positive period (no negative part) of at most {@link #MAX_YEARS} years
   * @return the age
   * @throws IllegalArgumentException if {@code age} is not positive or too long
   */
  public static RetentionAge of(Period age) {
    Objects.requireNonNull(age, "'age' must not be null");
    checkParts(age, age.toString());
    return new RetentionAge(age, Duration.ZERO, age.toString());
  }

  /**
   * Reads an age in the forms the class describes.
   *
   * @param text for example {@code 30d}, {@code 6mo}, {@code P6M}, {@code PT12H}
   * @return the age
   * @throws IllegalArgumentException naming the input and the accepted forms if it is none of them,
   *     is ambiguous ({@code 6m}), not positive, or longer than {@link #MAX_YEARS} years
   */
  public static RetentionAge parse(String text) {
    Objects.requireNonNull(text, "'text' must not be null");
    String t = text.strip().toLowerCase(Locale.ROOT);
    Matcher m = SHORT.matcher(t);
    if (m.matches()) {
      if (m.group(1).length() > 12) {
        throw tooLong(text);
      }
      long n = Long.parseLong(m.group(1));
      String unit = m.group(2);
      if (unit.equals("m")) {
        throw new IllegalArgumentException(
            "keep-newer-than '"
                + text
                + "' is ambiguous: write "
                + n
                + "mo for "
                + n
                + " months or "
                + n
                + "min for "
                + n
                + " minutes");
      }
      // Beyond 100 years in any unit is refused below; capping first keeps the arithmetic exact.
      if (n > 100L * 366 * 24 * 3600) {
        throw tooLong(text);
      }
      int small = (int) Math.min(n, Integer.MAX_VALUE);
      switch (unit) {
        case "s":
        case "sec":
          return new RetentionAge(Period.ZERO, Duration.ofSeconds(n), text);
        case "min":
          return new RetentionAge(Period.ZERO, Duration.ofMinutes(n), text);
        case "h":
          return new RetentionAge(Period.ZERO, Duration.ofHours(n), text);
        case "d":
          return calendar(n, Period.ofDays(small), text);
        case "w":
          return calendar(n * 7, Period.ofWeeks((int) Math.min(n, Integer.MAX_VALUE / 7)), text);
        case "mo":
          return calendar(n, Period.ofMonths(small), text);
        case "y":
          return calendar(n, Period.ofYears(small), text);
        default:
          throw invalid(text);
      }
    }
    if (!t.startsWith("p")) {
      throw invalid(text);
    }
    String upper = t.toUpperCase(Locale.ROOT);
    int timeAt = upper.indexOf('T');
    String datePart = timeAt < 0 ? upper : upper.substring(0, timeAt);
    String timePart = timeAt < 0 ? "" : upper.substring(timeAt);
    try {
      Period period = datePart.equals("P") ? Period.ZERO : Period.parse(datePart);
      Duration duration = timePart.isEmpty() ? Duration.ZERO : Duration.parse("P" + timePart);
      if (datePart.equals("P") && timePart.isEmpty()) {
        throw invalid(text);
      }
      checkParts(period, text);
      return new RetentionAge(period, duration, text);
    } catch (DateTimeParseException | ArithmeticException e) {
      // java.time refuses numbers past int (or long) range: those are far beyond 100 years anyway.
      if (LONG_NUMBER.matcher(upper).find()) {
        throw tooLong(text);
      }
      throw invalid(text);
    }
  }

  /** Days, weeks, months, years: refused past 100 years before the int-valued period is made. */
  private static RetentionAge calendar(long amount, Period period, String text) {
    if (amount > Integer.MAX_VALUE) {
      throw tooLong(text);
    }
    return new RetentionAge(period, Duration.ZERO, text);
  }

  private static void checkParts(Period p, String text) {
    if (p.getYears() < 0 || p.getMonths() < 0 || p.getDays() < 0) {
      throw new IllegalArgumentException("keep-newer-than must be positive, was " + text);
    }
  }

  private static IllegalArgumentException invalid(String text) {
    return new IllegalArgumentException(
        "invalid keep-newer-than '"
            + text
            + "': use e.g. 30d, 12h, 90min, 2w, 6mo, 1y or ISO-8601 P30D, P6M, PT12H");
  }

  private static IllegalArgumentException tooLong(String text) {
    return new IllegalArgumentException(
        "keep-newer-than '"
            + text
            + "' is more than "
            + MAX_YEARS
            + " years; use at most "
            + MAX_YEARS
            + "y");
  }

  /**
   * The moment before which images count as older than this age: {@code now} minus the calendar
   * part (in UTC) minus the exact part.
   *
   * @param now the plan's clock reading
   * @return the cutoff
   * @throws DateTimeException if the cutoff lies before the earliest representable instant
   */
  public Instant cutoff(Instant now) {
    Objects.requireNonNull(now, "'now' must not be null");
    return now.atOffset(ZoneOffset.UTC).minus(period).toInstant().minus(time);
  }

  /**
   * @return the calendar part (years, months, days); {@link Period#ZERO} if none
   */
  public Period period() {
    return period;
  }

  /**
   * @return the exact part (hours, minutes, seconds); {@link Duration#ZERO} if none
   */
  public Duration time() {
    return time;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RetentionAge a && period.equals(a.period) && time.equals(a.time);
  }

  @Override
  public int hashCode() {
    return Objects.hash(period, time);
  }

  /**
   * @return the ISO-8601 form, which {@link #parse} reads back: {@code P6M}, {@code PT336H}, {@code
   *     P1Y2M3DT4H}
   */
  @Override
  public String toString() {
    if (period.isZero()) {
      return time.toString();
    }
    return time.isZero() ? period.toString() : period + time.toString().substring(1);
  }
}
