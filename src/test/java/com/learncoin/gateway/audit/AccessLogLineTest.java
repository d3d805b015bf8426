package com.learncoin.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.learncoin.gateway.http.RouteTemplates;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("An access line is one JSON object with an ISO-8601 microsecond timestamp")
class AccessLogLineTest {

  @Test
  @DisplayName("the timestamp reads back as the request's instant to the microsecond, across seconds")
  void timestamps() {
    List<Instant> instants = List.of(
        Instant.parse("2026-11-28T02:19:30Z"),
        Instant.parse("2026-11-28T02:19:30.000001Z"),
        Instant.parse("2026-11-28T02:19:30.999999999Z"),
        Instant.parse("2026-11-28T02:19:31.5Z"),
        Instant.parse("1999-12-31T23:59:59.123456789Z"),
        Instant.parse("2026-11-28T02:19:30.014605Z"));
    for (Instant at : instants) {
      StringBuilder text = new StringBuilder();
      AccessLog.appendInstant(text, at);
      assertThat(text.toString()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z");
      assertThat(Instant.parse(text)).isEqualTo(at.truncatedTo(ChronoUnit.MICROS));
    }
  }

  @Test
  @DisplayName("a method with quotes, backslashes or control characters still gives valid JSON")
  void hostileMethod() {
    AuditRecord record = new AuditRecord("req_01", Instant.now(), null, null, "127.0.0.1",
        "GE\"T\\\u0001", "/x", 405, "method_not_allowed", 3, null);
    JsonObject line = new JsonObject(AccessLog.line(record, RouteTemplates.UNMATCHED));
    assertThat(line.getString("method")).isEqualTo("GE\"T\\\u0001");
    assertThat(line.getString("route")).isEqualTo("unmatched");
    assertThat(line.getInteger("status")).isEqualTo(405);
    assertThat(line.getString("error_code")).isEqualTo("method_not_allowed");
    assertThat(line.containsKey("tenant_id")).isFalse();
  }
}
