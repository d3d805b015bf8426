package com.learncoin.gateway.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Ids are ULIDs that sort in creation order, also within one millisecond")
class IdsTest {

  @Test
  @DisplayName("10,000 ids made back to back (many per millisecond) are strictly increasing")
  void monotonicWithinAMillisecond() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      ids.add(Ids.ulid("ten_"));
    }
    assertThat(ids).isSortedAccordingTo(String::compareTo).doesNotHaveDuplicates();
    assertThat(ids).allMatch(id -> id.matches("ten_[0-9A-HJKMNP-TV-Z]{26}"));
    // Several per millisecond is what made the old, non-monotonic ids page out of order.
    assertThat(ids.stream().map(id -> id.substring(4, 14)).distinct().count()).isLessThan(10_000);
  }

  @Test
  @DisplayName("ids made on four threads at once are unique and each thread's are increasing")
  void uniqueAcrossThreads() throws InterruptedException {
    ConcurrentLinkedQueue<String> all = new ConcurrentLinkedQueue<>();
    List<Thread> threads = new ArrayList<>();
    List<List<String>> perThread = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      List<String> mine = new ArrayList<>();
      perThread.add(mine);
      Thread thread = new Thread(() -> {
        for (int i = 0; i < 5_000; i++) {
          String id = Ids.ulid("req_");
          mine.add(id);
          all.add(id);
        }
      });
      thread.start();
      threads.add(thread);
    }
    for (Thread thread : threads) {
      thread.join();
    }
    assertThat(all).hasSize(20_000).doesNotHaveDuplicates();
    perThread.forEach(ids -> assertThat(ids).isSortedAccordingTo(String::compareTo));
  }
}
