package com.learncoin.gateway.anchoring;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Plain JSON-RPC to a local anvil for what web3j has no method for (anvil_setBalance, anvil_mine,
 * evm_setAutomine) and for the start-up probe: an unreachable node is an UncheckedIOException, so
 * the probe can tell "not yet listening" from "answered wrongly".
 */
final class AnvilRpc {
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(2)).version(HttpClient.Version.HTTP_1_1).build();

  private AnvilRpc() {}

  static Object call(int port, String method, JsonArray params) {
    JsonObject request = new JsonObject().put("jsonrpc", "2.0").put("id", 1)
        .put("method", method).put("params", params);
    HttpRequest http = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port))
        .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(request.encode())).build();
    JsonObject answer;
    try {
      answer = new JsonObject(HTTP.send(http, HttpResponse.BodyHandlers.ofString()).body());
    } catch (IOException e) {
      throw new UncheckedIOException(method + " to anvil on port " + port + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted during " + method, e);
    }
    if (answer.containsKey("error")) {
      throw new IllegalStateException(method + " failed: " + answer.getValue("error"));
    }
    return answer.getValue("result");
  }
}
