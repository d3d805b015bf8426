package com.learncoin.gateway.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The client behind trusted proxies is the right-most untrusted X-Forwarded-For hop")
class ClientAddressTest {
  private final ClientAddress proxies = new ClientAddress(List.of("127.0.0.1/32", "10.0.0.0/8",
      "::1"));

  private String client(String... lines) {
    return proxies.of("127.0.0.1", List.of(lines));
  }

  @Test
  @DisplayName("all lines are read as one list: a line the client sent ahead of the proxy's loses")
  void everyLine() {
    assertThat(client("203.0.113.5", "198.51.100.7")).isEqualTo("198.51.100.7");
    assertThat(client("203.0.113.5, 10.1.1.1", "198.51.100.7, 10.2.2.2")).isEqualTo("198.51.100.7");
    assertThat(client("198.51.100.7", "203.0.113.5, 10.0.0.2")).isEqualTo("203.0.113.5");
    assertThat(client("1.1.1.1,2.2.2.2 , 3.3.3.3")).isEqualTo("3.3.3.3");
  }

  @Test
  @DisplayName("trusted hops are skipped; a chain of only trusted hops names its first proxy")
  void trustedHops() {
    assertThat(client("2001:db8::7, ::1, 10.0.0.9")).isEqualTo("2001:db8::7");
    assertThat(client("10.0.0.3, 127.0.0.1")).isEqualTo("10.0.0.3");
    assertThat(client()).isEqualTo("127.0.0.1");
  }

  @Test
  @DisplayName("an entry that is not an IP, met before the client, makes the client unknown")
  void notAnIp() {
    for (String line : new String[] {"unknown", "", " ", "203.0.113.5,", "203.0.113.5, ,10.0.0.1",
        "203.0.113.5:443", "[2001:db8::7]", "example.com", "999.999.999.999", "_hidden, 10.0.0.1",
        "203.0.113.5\u00ff", "1.2.3.4/8", "for=203.0.113.5"}) {
      assertThat(client(line)).as(line).isEqualTo(ClientAddress.UNKNOWN);
    }
    assertThat(client("198.51.100.7", "junk")).isEqualTo(ClientAddress.UNKNOWN);
    // what is left of the client is the client's own claim, never read
    assertThat(client("junk, 203.0.113.5")).isEqualTo("203.0.113.5");
    assertThat(Cidr.literal(ClientAddress.UNKNOWN)).isEmpty();
  }
}
