package com.learncoin.gateway.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("DataDirLock: one holder at a time, released on close")
class DataDirLockUnitTest {
  @TempDir Path dir;

  @Test
  @DisplayName("a second acquire fails naming the holder's pid; after close it succeeds")
  void exclusive() throws Exception {
    DataDirLock held = DataDirLock.acquire(dir);
    assertThat(Files.readString(dir.resolve(DataDirLock.FILE)).trim())
        .isEqualTo(Long.toString(ProcessHandle.current().pid()));
    assertThatThrownBy(() -> DataDirLock.acquire(dir))
        .isInstanceOf(DataDirLock.InUseException.class)
        .hasMessageContaining("in use by pid " + ProcessHandle.current().pid());
    held.close();
    DataDirLock.acquire(dir).close();
  }
}
