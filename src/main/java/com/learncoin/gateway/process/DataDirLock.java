package com.learncoin.gateway.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on the data directory for the life of the process: while a gateway runs its
 * embedded PostgreSQL or local chain nodes from a directory, a second start on the same directory
 * stops at once instead of taking the first one's children for leftovers of a crash. The lock is
 * the operating system's ({@code gateway.lock}, released when the process dies, even by SIGKILL);
 * the pid written in the file is only for the message.
 */
public final class DataDirLock implements AutoCloseable {
  static final String FILE = "gateway.lock";

  private final FileChannel channel;
  private final FileLock lock;

  private DataDirLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** Thrown when another process (or another gateway in this one) holds the directory. */
  public static final class InUseException extends RuntimeException {
    InUseException(String message) {
      super(message);
    }
  }

  /** Blocking (file I/O): at start-up, before anything in the directory is touched. */
  public static DataDirLock acquire(Path dataDir) {
    Path file = dataDir.resolve(FILE);
    FileChannel channel = null;
    try {
      Files.createDirectories(dataDir);
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
          StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException sameProcess) {
        lock = null;
      }
      if (lock == null) {
        String holder = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).trim();
        channel.close();
        throw new InUseException("data dir " + dataDir.toAbsolutePath() + " in use by pid "
            + (holder.isEmpty() ? "unknown" : holder) + " (another gateway runs from it; stop it "
            + "first, or give this one its own LEARNCOIN_DATA_DIR)");
      }
      channel.truncate(0);
      channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n")
          .getBytes(StandardCharsets.UTF_8)), 0);
      channel.force(true);
      return new DataDirLock(channel, lock);
    } catch (IOException e) {
      closeQuietly(channel);
      throw new UncheckedIOException("cannot lock the data dir " + dataDir, e);
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
    } catch (IOException e) {
      // Closing the channel below releases it too.
    }
    closeQuietly(channel);
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel == null) {
      return;
    }
    try {
      channel.close();
    } catch (IOException e) {
      // Nothing left to release.
    }
  }
}
