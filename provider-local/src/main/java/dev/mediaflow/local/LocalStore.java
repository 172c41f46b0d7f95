package dev.mediaflow.local;

import dev.mediaflow.MediaValidationException;
import dev.mediaflow.pipeline.MediaObject;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Maps objects to files: bucket {@code b}, key {@code k} is {@code <root>/b/k}. Keys that could
 * leave their bucket ({@code ..} or {@code .} segments, empty segments, NUL, a symbolic link
 * pointing outside) are refused before anything is read or written. Results are written under
 * {@code <root>/.mediaflow/work} and moved into place atomically, so a reader never sees half an
 * object.
 */
class LocalStore { // not final: tests override commit() to simulate a full disk
  /** Where work files live; on the same file system as the buckets so that moves are atomic. */
  static final String WORK_DIR = ".mediaflow";

  private final Path root;

  LocalStore(Path root) {
    this.root = root;
  }

  Path root() {
    return root;
  }

  Path workRoot() {
    return root.resolve(WORK_DIR).resolve("work");
  }

  /** Returns the file for {@code object}, checking that it stays inside its bucket. */
  Path resolve(MediaObject object, String field) {
    String bucket = object.bucket();
    if (bucket.startsWith(".")) {
      throw new MediaValidationException(
          field + ".bucket",
          "a local bucket name cannot start with '.' (names starting with '.' are reserved), was '"
              + bucket
              + "'");
    }
    String key = object.key();
    if (key.indexOf('\0') >= 0) {
      throw new MediaValidationException(field + ".key", "contains NUL; remove it");
    }
    for (String segment : key.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        throw new MediaValidationException(
            field + ".key",
            "'"
                + key
                + "' has an empty, '.' or '..' path segment, which the local provider refuses so that "
                + "keys cannot leave their bucket; use plain names separated by single '/'");
      }
    }
    Path bucketDir = root.resolve(bucket).normalize();
    Path file = bucketDir.resolve(key).normalize();
    if (!file.startsWith(bucketDir) || file.equals(bucketDir)) {
      throw new MediaValidationException(
          field + ".key", "'" + key + "' resolves outside bucket '" + bucket + "'");
    }
    checkNoLinkEscape(bucketDir, file, field);
    return file;
  }

  /**
   * Follows symbolic links along the existing part of the path and refuses one that leads outside
   * the bucket.
   */
  private static void checkNoLinkEscape(Path bucketDir, Path file, String field) {
    try {
      if (!Files.exists(bucketDir)) {
        return;
      }
      Path realBucket = bucketDir.toRealPath();
      Path existing = file;
      while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
        existing = existing.getParent();
      }
      if (existing != null
          && Files.exists(existing)
          && !existing.toRealPath().startsWith(realBucket)) {
        throw new MediaValidationException(
            field + ".key", "leads through a symbolic link outside its bucket");
      }
    } catch (IOException e) {
      throw new MediaValidationException(field + ".key", "cannot be checked: " + e.getMessage());
    }
  }

  /**
   * Moves a finished work file into place as {@code target}, replacing what was there, atomically.
   */
  void commit(Path workFile, Path target) throws IOException {
    Files.createDirectories(target.getParent());
    try {
      Files.move(
          workFile, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      // The work folder is on another file system (a mount inside the root): copy next to the
      // target first.
      Path staging = target.resolveSibling("." + target.getFileName() + ".mediaflow-part");
      try {
        Files.copy(workFile, staging, StandardCopyOption.REPLACE_EXISTING);
        Files.move(
            staging, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(staging);
      }
    }
  }

  /**
   * Moves a finished work file into place as {@code target} only when nothing is there yet. A hard
   * link is made (which fails atomically when the target exists), so two writers cannot both win.
   *
   * @throws FileAlreadyExistsException when {@code target} exists
   */
  void commitNew(Path workFile, Path target) throws IOException {
    Files.createDirectories(target.getParent());
    try {
      Files.createLink(target, workFile);
      Files.deleteIfExists(workFile);
      return;
    } catch (FileAlreadyExistsException e) {
      throw e;
    } catch (UnsupportedOperationException | FileSystemException e) {
      // No hard links here (or the work folder is on another file system): copy next to the
      // target, then move without replacing.
    }
    Path staging = target.resolveSibling("." + target.getFileName() + ".mediaflow-part");
    try {
      Files.copy(workFile, staging, StandardCopyOption.REPLACE_EXISTING);
      Files.move(staging, target);
    } finally {
      Files.deleteIfExists(staging);
    }
  }
}
