package com.learncoin.gateway.db;

import static org.assertj.core.api.Assertions.assertThat;

import com.learncoin.gateway.support.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("V8 scopes the idempotency records already stored by environment")
class IdempotencyMigrationTest {
  @Test
  @DisplayName("a record takes its environment from the audit log, else from its batch; one that "
      + "cannot be placed is dropped")
  void existingRecords() throws Exception {
    String database = TestDatabase.createDatabase();
    String url = TestDatabase.jdbcUrl(database);
    Flyway.configure().dataSource(url, "postgres", "postgres").target("6").load().migrate();
    try (Connection c = DriverManager.getConnection(url, "postgres", "postgres");
         Statement s = c.createStatement()) {
      s.execute("""
          INSERT INTO tenants (id, name, plan) VALUES ('ten_1', 'School', 'industry');
          INSERT INTO api_keys (id, tenant_id, environment, key_hash, key_last4)
          VALUES ('key_live', 'ten_1', 'live', '\\x01', 'abcd');
          INSERT INTO audit_log (request_id, at, tenant_id, key_id, method, path, status, latency_ms)
          VALUES ('req_live', now(), 'ten_1', 'key_live', 'POST', '/v1/webhooks', 201, 1);
          INSERT INTO batches (id, tenant_id, environment, network, status, count, idempotency_key)
          VALUES ('bat_test', 'ten_1', 'test', 'base-sepolia', 'queued', 1, 'from-batch');
          INSERT INTO idempotency_keys (tenant_id, key, method, path, body_sha256, status,
                                        request_id)
          VALUES ('ten_1', 'from-audit', 'POST', '/v1/webhooks', '\\x00', 201, 'req_live'),
                 ('ten_1', 'from-batch', 'POST', '/v1/batches', '\\x00', 202, 'req_lost'),
                 ('ten_1', 'unknown', 'POST', '/v1/verify', '\\x00', NULL, NULL);
          """);
    }
    Flyway.configure().dataSource(url, "postgres", "postgres").load().migrate();
    try (Connection c = DriverManager.getConnection(url, "postgres", "postgres");
         Statement s = c.createStatement();
         ResultSet rows = s.executeQuery(
             "SELECT key || '=' || environment FROM idempotency_keys ORDER BY key")) {
      List<String> found = new ArrayList<>();
      while (rows.next()) {
        found.add(rows.getString(1));
      }
      assertThat(found).containsExactly("from-audit=live", "from-batch=test");
    }
  }
}
