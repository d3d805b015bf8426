package com.learncoin.gateway.bench;

import com.learncoin.gateway.support.Batches;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/** The batches the soak created, which key owns each, and which are anchored; thread-safe. */
final class SoakBatches {
  private static final int RECENT = 1_000;

  private final Map<String, String[]> owners = new ConcurrentHashMap<>();
  private final Set<String> anchored = ConcurrentHashMap.newKeySet();
  private final List<String> recent = new ArrayList<>();
  private final List<String> recentAnchored = new ArrayList<>();

  static String body(int credentials) {
    return Batches.of(credentials).encode();
  }

  void created(String id, String[] key) {
    owners.put(id, key);
    add(recent, id);
  }

  void anchored(String id) {
    if (anchored.add(id)) {
      add(recentAnchored, id);
    }
  }

  String[] owner(String id) {
    return owners.get(id);
  }

  String anyRecent() {
    return any(recent);
  }

  String anyAnchored() {
    return any(recentAnchored);
  }

  int createdCount() {
    return owners.size();
  }

  int anchoredCount() {
    return anchored.size();
  }

  int pendingCount() {
    return owners.size() - anchored.size();
  }

  List<String> pending() {
    return owners.keySet().stream().filter(id -> !anchored.contains(id)).toList();
  }

  private static void add(List<String> list, String id) {
    synchronized (list) {
      list.add(id);
      if (list.size() > RECENT) {
        list.remove(0);
      }
    }
  }

  private static String any(List<String> list) {
    synchronized (list) {
      return list.isEmpty() ? null : list.get(ThreadLocalRandom.current().nextInt(list.size()));
    }
  }
}
