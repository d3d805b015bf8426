package com.learncoin.gateway.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.learncoin.gateway.http.ApiException;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A webhook target is resolved once, checked, and that address is the one connected to")
class WebhookUrlsTest {
  private static final Vertx VERTX = Vertx.vertx();

  @AfterAll
  static void close() {
    VERTX.close();
  }

  @Test
  @DisplayName("a public address is returned for the delivery to connect to")
  void publicAddress() throws Exception {
    InetAddress address = new WebhookUrls(VERTX, false)
        .resolve(URI.create("https://93.184.216.34/hooks")).await(10, TimeUnit.SECONDS);
    assertThat(address.getHostAddress()).isEqualTo("93.184.216.34");
  }

  @Test
  @DisplayName("loopback, private and link-local targets are refused with a message naming url")
  void privateRefused() {
    WebhookUrls urls = new WebhookUrls(VERTX, false);
    for (String url : new String[] {"http://127.0.0.1:9/", "https://10.1.2.3/",
        "https://169.254.169.254/latest/meta-data", "https://[::1]/", "http://localhost/"}) {
      assertThatThrownBy(() -> urls.resolve(URI.create(url)).await(10, TimeUnit.SECONDS))
          .as(url).isInstanceOf(ApiException.class).hasMessageStartingWith("url: the host");
    }
  }

  @Test
  @DisplayName("IPv6 forms that embed an IPv4 address (IPv4-compatible, NAT64, 6to4, Teredo) and "
      + "198.18.0.0/15 are refused; only literals are classified, nothing is sent to them")
  void embeddedAndBenchmarkRefused() throws Exception {
    WebhookUrls urls = new WebhookUrls(VERTX, false);
    for (String url : new String[] {"https://[::127.0.0.1]/", "https://[::7f00:1]/",
        "https://[::8.8.8.8]/", "https://[64:ff9b::127.0.0.1]/", "https://[64:ff9b::a9fe:a9fe]/",
        "https://[64:ff9b::8.8.8.8]/", "https://[64:ff9b:1::a00:1]/", "https://[2002:7f00:1::]/",
        "https://[2002:a9fe:a9fe::1]/", "https://[2002:808:808::1]/", "https://[2001:0:4136:e378::1]/",
        "https://198.18.0.1/", "https://198.19.255.254/", "https://192.88.99.1/"}) {
      assertThatThrownBy(() -> urls.resolve(URI.create(url)).await(10, TimeUnit.SECONDS))
          .as(url).isInstanceOf(ApiException.class).hasMessageStartingWith("url: the host");
    }
    for (String publicAddress : new String[] {"198.17.255.1", "198.20.0.1", "2a00:1450:4001::1",
        "2001:4860:4860::8888", "64:ff9c::1", "2003::1"}) {
      assertThat(WebhookUrls.isPublic(InetAddress.getByName(publicAddress))).as(publicAddress).isTrue();
    }
  }

  @Test
  @DisplayName("where configuration allows private targets, the resolved address is still pinned")
  void privateAllowed() throws Exception {
    InetAddress address = new WebhookUrls(VERTX, true)
        .resolve(URI.create("http://localhost:8080/")).await(10, TimeUnit.SECONDS);
    assertThat(address.isLoopbackAddress()).isTrue();
  }
}
