package com.learncoin.gateway.statuslist;

import com.learncoin.gateway.common.Ids;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Hands out revocation status slots at intake, inside the intake transaction. Indexes are drawn
 * at random within a list (the Bitstring Status List spec's herd-privacy advice) and never
 * reused; a full list is followed by a new one.
 */
public final class StatusListAllocator {
  public static final int LIST_SIZE = 131_072;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String OPEN_LIST = """
      SELECT id, allocated, used FROM status_lists
       WHERE tenant_id = $1 AND environment = $2 AND issuer IS NOT DISTINCT FROM $3
         AND signing_key_id IS NOT DISTINCT FROM $4 AND allocated < size
       ORDER BY created_at LIMIT 1 FOR UPDATE""";
  private static final String NEW_LIST = """
      INSERT INTO status_lists (id, tenant_id, environment, issuer, signing_key_id, size, used)
      VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id, allocated, used""";
  private static final String TAKE = """
      UPDATE status_lists SET used = $2, allocated = allocated + $3 WHERE id = $1""";

  /** A credential's place in a status list. */
  public record Slot(String listId, int index) {}

  private StatusListAllocator() {}

  /**
   * Slots in the tenant's lists of this environment, issuer (null: the key's did:key) and signing
   * key: a list is signed by the key of its credentials, whose issuer it must name.
   */
  public static Future<List<Slot>> allocate(SqlConnection tx, String tenantId, String environment,
      String issuer, String signingKeyId, int count) {
    return allocateInto(tx, new Owner(tenantId, environment, issuer, signingKeyId), count,
        new ArrayList<>(count));
  }

  private record Owner(String tenantId, String environment, String issuer, String signingKeyId) {}

  private static Future<List<Slot>> allocateInto(SqlConnection tx, Owner owner, int remaining,
      List<Slot> slots) {
    if (remaining == 0) {
      return Future.succeededFuture(slots);
    }
    return openList(tx, owner).compose(list -> {
      String id = list.getString("id");
      // The stored bitmap itself, changed in place: no copies of 16 KB per intake.
      byte[] stored = list.getBuffer("used").getBytes();
      Bits used = new Bits(stored.length == LIST_SIZE / 8 ? stored
          : Arrays.copyOf(stored, LIST_SIZE / 8));
      int take = Math.min(remaining, LIST_SIZE - list.getInteger("allocated"));
      for (int index : draw(used, take)) {
        slots.add(new Slot(id, index));
      }
      return tx.preparedQuery(TAKE).execute(Tuple.of(id, Buffer.buffer(used.bytes), take))
          .compose(v -> allocateInto(tx, owner, remaining - take, slots));
    });
  }

  private static Future<Row> openList(SqlConnection tx, Owner owner) {
    return tx.preparedQuery(OPEN_LIST)
        .execute(Tuple.of(owner.tenantId(), owner.environment(), owner.issuer(),
            owner.signingKeyId()))
        .compose(rows -> rows.size() > 0 ? Future.succeededFuture(rows.iterator().next())
            : tx.preparedQuery(NEW_LIST).execute(Tuple.from(new Object[] {Ids.ulid("sl_"),
                owner.tenantId(), owner.environment(), owner.issuer(), owner.signingKeyId(),
                LIST_SIZE, Buffer.buffer(new byte[LIST_SIZE / 8])}))
                .map(created -> created.iterator().next()));
  }

  /** A status list's bits as stored: bit n is bit n % 8 of byte n / 8 (as BitSet.valueOf). */
  private record Bits(byte[] bytes) {
    boolean get(int n) {
      return (bytes[n >>> 3] & (1 << (n & 7))) != 0;
    }

    void set(int n) {
      bytes[n >>> 3] |= (byte) (1 << (n & 7));
    }
  }

  /** Marks and returns {@code count} random free indexes. */
  private static List<Integer> draw(Bits used, int count) {
    List<Integer> drawn = new ArrayList<>(count);
    int misses = 0;
    while (drawn.size() < count && misses < 64 * count) {
      int candidate = RANDOM.nextInt(LIST_SIZE);
      if (used.get(candidate)) {
        misses++;
      } else {
        used.set(candidate);
        drawn.add(candidate);
      }
    }
    if (drawn.size() < count) {
      // Nearly full: pick from what is left rather than keep guessing.
      List<Integer> free = new ArrayList<>();
      for (int i = 0; i < LIST_SIZE; i++) {
        if (!used.get(i)) {
          free.add(i);
        }
      }
      Collections.shuffle(free, RANDOM);
      for (int i = 0; drawn.size() < count; i++) {
        used.set(free.get(i));
        drawn.add(free.get(i));
      }
    }
    return drawn;
  }
}
