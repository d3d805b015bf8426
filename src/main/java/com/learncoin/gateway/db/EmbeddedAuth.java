package com.learncoin.gateway.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may connect to the embedded PostgreSQL: zonky's initdb trusts every local connection as the
 * superuser, so any local user could read webhook secrets or run {@code COPY ... TO PROGRAM} as the
 * gateway. The superuser gets a generated password (a 0600 file of the data directory), every
 * {@code pg_hba.conf} line asks for it ({@code scram-sha-256}), and the Unix socket sits in the
 * 0700 data directory instead of {@code /tmp}. Blocking: start-up only.
 */
final class EmbeddedAuth {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedAuth.class);
  static final String PASSWORD_FILE = "postgres-password";
  private static final char[] ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();
  /** pg_ctl hands server options to a shell, and a socket path must fit in 107 bytes. */
  private static final Pattern SAFE_SOCKET_DIR = Pattern.compile("[A-Za-z0-9/._+-]{1,80}");
  private static final Pattern TRUST = Pattern.compile("(?m)^\\s*[^#\\s].*\\btrust\\b");
  static final String HBA = """
      # Written by the LearnCoin gateway: every connection presents the superuser's password
      # (kept in the data directory's postgres-password file).
      # TYPE  DATABASE        USER            ADDRESS                 METHOD
      local   all             all                                     scram-sha-256
      host    all             all             127.0.0.1/32            scram-sha-256
      host    all             all             ::1/128                 scram-sha-256
      local   replication     all                                     scram-sha-256
      host    replication     all             127.0.0.1/32            scram-sha-256
      host    replication     all             ::1/128                 scram-sha-256
      """;

  private EmbeddedAuth() {}

  /** The superuser's password, generated (48 base62 characters) into a 0600 file on first start. */
  static Path passwordFile(Path dataDir) {
    Path file = dataDir.resolve(PASSWORD_FILE);
    if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      return file;
    }
    char[] password = new char[48];
    for (int i = 0; i < password.length; i++) {
      password[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
    }
    writeOwnerOnly(file, new String(password));
    return file;
  }

  static String password(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** The data directory itself when its path is safe for pg_ctl; else none: TCP only. */
  static String socketDirectory(Path pgDir) {
    String dir = pgDir.toAbsolutePath().normalize().toString();
    return SAFE_SOCKET_DIR.matcher(dir).matches() ? dir : "";
  }

  /** Whether the data directory predates this: some pg_hba.conf line still says trust. */
  static boolean trusts(Path pgDir) {
    try {
      return TRUST.matcher(Files.readString(pgDir.resolve("pg_hba.conf"))).find();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read pg_hba.conf in " + pgDir, e);
    }
  }

  /**
   * Upgrades a data directory initialised with trust, while trust still lets the gateway in: sets
   * the password, replaces pg_hba.conf and reloads. Interrupted anywhere, the next start does it
   * again (the password file is already there).
   */
  static void upgrade(EmbeddedPostgres pg, Path pgDir, String password) {
    try (Connection c = pg.getPostgresDatabase().getConnection();
         Statement s = c.createStatement()) {
      s.execute("SET password_encryption = 'scram-sha-256'");
      // base62 only, so the literal needs no escaping
      s.execute("ALTER ROLE postgres PASSWORD '" + password + "'");
      writeOwnerOnly(pgDir.resolve("pg_hba.conf"), HBA);
      s.execute("SELECT pg_reload_conf()");
    } catch (SQLException e) {
      throw new IllegalStateException("could not set the embedded PostgreSQL's password", e);
    }
    LOG.info("Embedded PostgreSQL in {} upgraded from trust to scram-sha-256", pgDir);
  }

  /** Written whole or not at all (temporary file, then an atomic move), readable by the owner only. */
  private static void writeOwnerOnly(Path file, String text) {
    try {
      Path dir = file.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path temp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      try {
        Files.writeString(temp, text, StandardCharsets.UTF_8);
        try (var channel = java.nio.channels.FileChannel.open(temp,
            java.nio.file.StandardOpenOption.WRITE)) {
          channel.force(true);
        }
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
