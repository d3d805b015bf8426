package com.learncoin.gateway.admin;

import com.learncoin.gateway.common.Ids;
import com.learncoin.gateway.config.Config;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;

/**
 * The admin JWT secret and tokens signed with it. With no configured secret, one is generated on
 * first start and kept in the data directory (0600), so a default run needs no secret in a file
 * anyone committed.
 */
public final class AdminTokens {
  /** The furthest ahead a token's exp may be; tokens without exp are refused (AdminAuthHandler). */
  public static final Duration MAX_VALIDITY = Duration.ofHours(24);

  private AdminTokens() {}

  /** Blocking (file I/O): call at start-up, off the event loop. */
  public static String secret(Config config) {
    if (config.adminJwtSecret().isPresent()) {
      return config.adminJwtSecret().get();
    }
    Path file = secretFile(config);
    try {
      if (Files.exists(file)) {
        return Files.readString(file, StandardCharsets.UTF_8).trim();
      }
      Files.createDirectories(config.dataDir());
      String secret = Ids.secretBase62(48);
      Files.createFile(file, PosixFilePermissions.asFileAttribute(
          PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, secret, StandardCharsets.UTF_8);
      return secret;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create " + file, e);
    }
  }

  /**
   * The secret a running gateway uses, read only: a token minted with a secret made up here would
   * be refused by it ({@code admin-token} run from another directory). Empty when there is none.
   */
  public static Optional<String> existingSecret(Config config) {
    if (config.adminJwtSecret().isPresent()) {
      return config.adminJwtSecret();
    }
    Path file = secretFile(config);
    try {
      return Files.exists(file) ? Optional.of(Files.readString(file, StandardCharsets.UTF_8).trim())
          : Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  public static Path secretFile(Config config) {
    return config.dataDir().resolve("admin-jwt-secret");
  }

  public static JWTAuth auth(Vertx vertx, String secret) {
    return JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(
        new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret)));
  }

  /** A token valid for {@code validMinutes}, at most {@link #MAX_VALIDITY}. */
  public static String mint(JWTAuth auth, int validMinutes) {
    if (validMinutes < 1 || validMinutes > MAX_VALIDITY.toMinutes()) {
      throw new IllegalArgumentException("an admin token is valid for 1 to "
          + MAX_VALIDITY.toMinutes() + " minutes, not " + validMinutes);
    }
    return auth.generateToken(new JsonObject().put("sub", "admin"),
        new JWTOptions().setAlgorithm("HS256").setExpiresInMinutes(validMinutes));
  }
}
