package com.learncoin.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.learncoin.gateway.support.Batches;
import com.learncoin.gateway.support.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.BitSet;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@DisplayName("Revocation status slots")
class StatusSlotsTest {

  @Test
  @DisplayName("every credential gets its own slot, and the list's stored bitmap marks exactly the "
      + "slots handed out (bit n of byte n / 8), so none is ever handed out twice")
  void slotsAreUniqueAndRecorded(Vertx vertx) throws Exception {
    try (TestGateway app = TestGateway.start(vertx)) {
      String key = app.newTestKey("industry");
      for (int i = 0; i < 20; i++) {
        app.post("/v1/batches", key, Batches.of(i % 3 == 0 ? 7 : 1).encode()).assertStatus(202);
      }
      Set<Integer> indexes = new HashSet<>();
      String listId;
      try (Connection db = app.jdbc()) {
        try (PreparedStatement query = db.prepareStatement(
            "SELECT status_list_id, status_index FROM credentials")) {
          ResultSet rows = query.executeQuery();
          listId = null;
          while (rows.next()) {
            listId = rows.getString(1);
            assertThat(indexes.add(rows.getInt(2))).as("slot %d handed out once", rows.getInt(2))
                .isTrue();
          }
        }
        assertThat(indexes).hasSize(7 * 7 + 13);
        try (PreparedStatement query = db.prepareStatement(
            "SELECT used, allocated, (SELECT count(*) FROM status_lists) FROM status_lists "
                + "WHERE id = ?")) {
          query.setString(1, listId);
          ResultSet row = query.executeQuery();
          assertThat(row.next()).isTrue();
          BitSet used = BitSet.valueOf(row.getBytes(1));
          assertThat(row.getInt(2)).isEqualTo(indexes.size());
          assertThat(row.getInt(3)).as("one list for the tenant").isEqualTo(1);
          assertThat(used.cardinality()).isEqualTo(indexes.size());
          indexes.forEach(index -> assertThat(used.get(index)).as("bit %d", index).isTrue());
        }
      }
    }
  }
}
