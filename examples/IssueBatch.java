// Issue a batch with an Idempotency-Key, retrying safely, then wait until it is anchored.
// Run (JDK 17+, no build):  LEARNCOIN_API_KEY=lrn_test_... java examples/IssueBatch.java [examples/batch.json]
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class IssueBatch {
  static final String BASE = System.getenv().getOrDefault("LEARNCOIN_URL", "http://localhost:8080");
  static final String KEY = System.getenv("LEARNCOIN_API_KEY");
  static final HttpClient HTTP = HttpClient.newHttpClient();

  public static void main(String[] args) throws Exception {
    String body = Files.readString(Path.of(args.length > 0 ? args[0] : "examples/batch.json"));
    // One key per logical request, kept across retries: the server runs it once.
    String idempotencyKey = UUID.randomUUID().toString();
    HttpResponse<String> created = send(HttpRequest.newBuilder(URI.create(BASE + "/v1/batches"))
        .header("Content-Type", "application/json").header("Idempotency-Key", idempotencyKey)
        .POST(HttpRequest.BodyPublishers.ofString(body)));
    System.out.println(created.statusCode() + " " + created.body());
    if (created.statusCode() != 202) {
      System.exit(1); // a 4xx will not change on retry: fix the request (and use a new key)
    }
    String id = field(created.body(), "id");
    while (true) {
      HttpResponse<String> batch = send(HttpRequest.newBuilder(URI.create(BASE + "/v1/batches/" + id)).GET());
      String status = field(batch.body(), "status");
      System.out.println(id + ": " + status);
      if (status.equals("anchored") || status.equals("failed")) {
        System.out.println(batch.body());
        return;
      }
      Thread.sleep(1000);
    }
  }

  /** Sends, retrying 429 after Retry-After and 5xx/network errors with backoff; same request, same key. */
  static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    request.header("Authorization", "Bearer " + KEY);
    for (int attempt = 1; ; attempt++) {
      try {
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        int status = response.statusCode();
        if (status == 429 && attempt < 10) {
          long seconds = Long.parseLong(response.headers().firstValue("Retry-After").orElse("1"));
          Thread.sleep(seconds * 1000);
        } else if (status >= 500 && attempt < 6) {
          Thread.sleep((long) (Math.min(30_000, 250L << attempt) * (0.5 + Math.random() / 2)));
        } else {
          return response;
        }
      } catch (java.io.IOException e) {
        if (attempt >= 6) {
          throw e;
        }
        Thread.sleep(250L << attempt);
      }
    }
  }

  static String field(String json, String name) {
    Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]*)\"").matcher(json);
    return m.find() ? m.group(1) : "";
  }
}
