package com.learncoin.gateway.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Webhook retries back off exponentially, with jitter, over about a day")
class WebhookBackoffTest {
  private static double total(double random) {
    double sum = 0;
    for (int attempts = 1; attempts < WebhookDispatcher.MAX_ATTEMPTS; attempts++) {
      sum += WebhookDispatcher.backoffSeconds(5_000, attempts, random);
    }
    return sum;
  }

  @Test
  @DisplayName("5 s, 10 s, 20 s ... doubling, capped at 4.5 h")
  void doubling() {
    assertThat(WebhookDispatcher.backoffSeconds(5_000, 1, 0.5)).isEqualTo(5.0);
    assertThat(WebhookDispatcher.backoffSeconds(5_000, 2, 0.5)).isEqualTo(10.0);
    assertThat(WebhookDispatcher.backoffSeconds(5_000, 3, 0.5)).isEqualTo(20.0);
    assertThat(WebhookDispatcher.backoffSeconds(5_000, 16, 0.5)).isEqualTo(4.5 * 3600);
  }

  @Test
  @DisplayName("jitter stays within 0.8x to 1.2x")
  void jitter() {
    assertThat(WebhookDispatcher.backoffSeconds(5_000, 4, 0.0)).isEqualTo(40 * 0.8);
    assertThat(WebhookDispatcher.backoffSeconds(5_000, 4, 0.999999)).isLessThan(40 * 1.2);
  }

  @Test
  @DisplayName("all attempts span about 24 hours")
  void aboutADay() {
    assertThat(total(0.5) / 3600).isBetween(22.0, 26.0);
    assertThat(total(0.0) / 3600).isGreaterThan(18.0);
    assertThat(total(0.999999) / 3600).isLessThan(30.0);
  }
}
