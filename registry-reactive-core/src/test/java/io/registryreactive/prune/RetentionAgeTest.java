package io.registryreactive.prune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.registryreactive.InvalidReferenceException;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RetentionAgeTest {

  private static final Instant NOW = Instant.parse("2024-08-31T12:00:00Z");

  @ParameterizedTest
  @CsvSource({
    "45s, PT45S, 2024-08-31T11:59:15Z",
    "90min, PT1H30M, 2024-08-31T10:30:00Z",
    "12h, PT12H, 2024-08-31T00:00:00Z",
    "12H, PT12H, 2024-08-31T00:00:00Z",
    "30d, P30D, 2024-08-01T12:00:00Z",
    "2w, P14D, 2024-08-17T12:00:00Z",
    "6mo, P6M, 2024-02-29T12:00:00Z",
    "1y, P1Y, 2023-08-31T12:00:00Z",
    "P6M, P6M, 2024-02-29T12:00:00Z",
    "p6m, P6M, 2024-02-29T12:00:00Z",
    "P2W, P14D, 2024-08-17T12:00:00Z",
    "PT12H, PT12H, 2024-08-31T00:00:00Z",
    "PT90M, PT1H30M, 2024-08-31T10:30:00Z",
    "P1Y2M3D, P1Y2M3D, 2023-06-27T12:00:00Z",
    "P1DT12H, P1DT12H, 2024-08-30T00:00:00Z",
    "100y, P100Y, 1924-08-31T12:00:00Z"
  })
  void parse_whenAccepted_countsBackFromTheClock(String text, String iso, String cutoff) {
    RetentionAge age = RetentionAge.parse(text);

    assertThat(age.toString()).isEqualTo(iso);
    assertThat(age.cutoff(NOW)).isEqualTo(Instant.parse(cutoff));
    assertThat(RetentionAge.parse(age.toString())).as("ISO form reads back").isEqualTo(age);
  }

  @Test
  void parse_whenMonths_areCalendarMonthsNotThirtyDays() {
    Instant march31 = Instant.parse("2023-03-31T00:00:00Z");

    assertThat(RetentionAge.parse("1mo").cutoff(march31))
        .isEqualTo(Instant.parse("2023-02-28T00:00:00Z"));
    assertThat(RetentionAge.parse("P1M").cutoff(march31))
        .isEqualTo(Instant.parse("2023-02-28T00:00:00Z"));
    assertThat(RetentionAge.parse("30d").cutoff(march31))
        .isEqualTo(Instant.parse("2023-03-01T00:00:00Z"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"6m", "6M", "1 m"})
  void parse_whenBareM_isRefusedSuggestingMoAndMin(String text) {
    assertThatThrownBy(() -> RetentionAge.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ambiguous")
        .hasMessageContaining("mo for")
        .hasMessageContaining("min for");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "101y",
        "1201mo",
        "36525d",
        "5300w",
        "P101Y",
        "P36525D",
        "PT900000H",
        "P999999999999D",
        "99999999999999d",
        "P100YT1S",
        "P1200M1D"
      })
  void parse_whenOverHundredYears_isRefused(String text) {
    assertThatThrownBy(() -> RetentionAge.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("more than 100 years");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"30 days", "", "d", "P", "PT", "30x", "P-1D", "-1d", "1.5d", "P1H", "soon"})
  void parse_whenMalformedOrNegative_isRefusedWithExamples(String text) {
    assertThatThrownBy(() -> RetentionAge.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .message()
        .satisfiesAnyOf(
            m -> assertThat(m).contains("use e.g. 30d, 12h, 90min, 2w, 6mo, 1y"),
            m -> assertThat(m).contains("must be positive"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"0d", "P0D", "PT0S", "0mo"})
  void parse_whenZero_isRefusedAsNotPositive(String text) {
    assertThatThrownBy(() -> RetentionAge.parse(text)).hasMessageContaining("must be positive");
  }

  @Test
  void of_whenDurationOrPeriod_matchesTheParsedForm() {
    assertThat(RetentionAge.of(Duration.ofHours(12))).isEqualTo(RetentionAge.parse("12h"));
    assertThat(RetentionAge.of(Period.ofMonths(6))).isEqualTo(RetentionAge.parse("6mo"));
    assertThatThrownBy(() -> RetentionAge.of(Period.ofYears(101)))
        .hasMessageContaining("more than 100 years");
    assertThatThrownBy(() -> RetentionAge.of(Duration.ofDays(-1)))
        .hasMessageContaining("must be positive");
  }

  @Test
  void policyBuilder_whenTextAge_usesTheSameFormsAndFailsTheBuildOnBadInput() {
    RetentionPolicy policy = RetentionPolicy.builder().keepNewerThan("6mo").build();

    assertThat(policy.keepNewerThan()).contains(RetentionAge.of(Period.ofMonths(6)));
    assertThat(policy.describe().get("keepNewerThan")).isEqualTo("P6M");
    assertThatThrownBy(() -> RetentionPolicy.builder().keepNewerThan("6M").build())
        .isInstanceOf(InvalidReferenceException.class)
        .hasMessageContaining("ambiguous");
  }
}
