package com.learncoin.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Client text recorded in the audit log is bounded and free of control characters")
class RequestIdHandlerTest {

  @Test
  @DisplayName("plain text is kept as it is; control characters become '?'; 512 characters at most")
  void clean() {
    assertThat(RequestIdHandler.clean(null)).isNull();
    assertThat(RequestIdHandler.clean("/v1/tenants/ten_1")).isEqualTo("/v1/tenants/ten_1");
    assertThat(RequestIdHandler.clean("a\u0000b\nc\u007f")).isEqualTo("a?b?c?");
    assertThat(RequestIdHandler.clean("x".repeat(600))).isEqualTo("x".repeat(512));
    assertThat(RequestIdHandler.clean("x".repeat(511) + "\u0001" + "y".repeat(10)))
        .isEqualTo("x".repeat(511) + "?");
    assertThat(RequestIdHandler.clean("é€𝄞")).isEqualTo("é€𝄞");
  }
}
