package com.learncoin.gateway.bench;

import com.learncoin.gateway.auth.ApiKeySecrets;
import com.learncoin.gateway.common.Ids;
import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.HexFormat;

/**
 * Benchmark set-up, not a test: COUNT industry tenants with one test key each, written straight
 * into the embedded PostgreSQL of a benchmark's throwaway gateway with bulk SQL, 10,000 rows a
 * statement (100,000 tenants in seconds; through the admin API each tenant also gets two sealed
 * signing keys, minutes of work a read benchmark does not need; a tenant's first batch makes them).
 * Ids and keys are made by the gateway's own code, so they look exactly like the admin API's.
 *
 * <pre>BenchTenants PG_PORT PASSWORD_FILE COUNT NAME OUT_TSV   (OUT_TSV: key TAB tenant per line)</pre>
 */
public final class BenchTenants {
  private static final int CHUNK = 10_000;
  private static final String TENANTS = """
      INSERT INTO tenants (id, name, plan)
      SELECT id, name, 'industry' FROM unnest(?::text[], ?::text[]) AS t(id, name)""";
  private static final String KEYS = """
      INSERT INTO api_keys (id, tenant_id, environment, key_hash, key_last4)
      SELECT id, tenant, 'test', decode(hash, 'hex'), last4
        FROM unnest(?::text[], ?::text[], ?::text[], ?::text[]) AS k(id, tenant, hash, last4)""";

  private BenchTenants() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 5) {
      System.err.println("usage: BenchTenants PG_PORT PASSWORD_FILE COUNT NAME OUT_TSV");
      System.exit(2);
    }
    String url = "jdbc:postgresql://127.0.0.1:" + Integer.parseInt(args[0]) + "/postgres";
    String password = Files.readString(Path.of(args[1])).trim();
    int count = Integer.parseInt(args[2]);
    try (Connection db = DriverManager.getConnection(url, "postgres", password);
        BufferedWriter out = Files.newBufferedWriter(Path.of(args[4]))) {
      db.setAutoCommit(false);
      for (int from = 0; from < count; from += CHUNK) {
        int n = Math.min(CHUNK, count - from);
        String[] tenants = new String[n];
        String[] names = new String[n];
        String[] keyIds = new String[n];
        String[] keys = new String[n];
        String[] hashes = new String[n];
        String[] last4 = new String[n];
        for (int i = 0; i < n; i++) {
          tenants[i] = Ids.ulid("ten_");
          names[i] = String.format("%s-%06d", args[3], from + i);
          keyIds[i] = Ids.ulid("key_");
          keys[i] = ApiKeySecrets.generate("test");
          hashes[i] = HexFormat.of().formatHex(ApiKeySecrets.hash(keys[i]));
          last4[i] = keys[i].substring(keys[i].length() - 4);
        }
        try (PreparedStatement insert = db.prepareStatement(TENANTS)) {
          insert.setArray(1, db.createArrayOf("text", tenants));
          insert.setArray(2, db.createArrayOf("text", names));
          insert.executeUpdate();
        }
        try (PreparedStatement insert = db.prepareStatement(KEYS)) {
          insert.setArray(1, db.createArrayOf("text", keyIds));
          insert.setArray(2, db.createArrayOf("text", tenants));
          insert.setArray(3, db.createArrayOf("text", hashes));
          insert.setArray(4, db.createArrayOf("text", last4));
          insert.executeUpdate();
        }
        db.commit();
        for (int i = 0; i < n; i++) {
          out.write(keys[i] + "\t" + tenants[i] + "\n");
        }
      }
    }
  }
}
