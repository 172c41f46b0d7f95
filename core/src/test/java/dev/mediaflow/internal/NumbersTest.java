package dev.mediaflow.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class NumbersTest {
  @Test
  void number_isShortAndLocaleFree() {
    assertThat(List.of(Numbers.number(2), Numbers.number(0.25), Numbers.number(1 / 3.0)))
        .containsExactly("2", "0.25", "0.333");
  }

  @Test
  void seconds_keepMilliseconds() {
    assertThat(Numbers.seconds(Duration.ofMillis(7250))).isEqualTo("7.25");
  }
}
