package org.aemp.cli;

import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * File errors as Perl's {@code aemp} shows them ({@code "$file: $!"}): {@code <file>: No such file
 * or directory}, {@code <file>: Permission denied}, rather than Java's
 * {@code java.nio.file.NoSuchFileException: <file>}. Stateless and thread-safe.
 */
final class IoErrors {
    private IoErrors() {
    }

    /**
     * {@code <file>: <reason>}, where {@code <file>} is the file the exception names (the
     * temporary {@code <rc>~new~}, say), else {@code file}.
     *
     * @param file the file being worked on
     * @param e an {@link java.io.IOException}, {@link java.nio.file.InvalidPathException} or the like
     */
    static String describe(String file, Exception e) {
        String name = e instanceof FileSystemException fse && fse.getFile() != null ? fse.getFile() : file;
        return name + ": " + reason(e);
    }

    /** The reason alone, in the C library's words where Java has a type for it. */
    static String reason(Exception e) {
        if (e instanceof NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "Permission denied";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "File exists";
        }
        if (e instanceof NotDirectoryException) {
            return "Not a directory";
        }
        if (e instanceof DirectoryNotEmptyException) {
            return "Directory not empty";
        }
        if (e instanceof FileSystemException fse) {
            return fse.getReason() != null ? fse.getReason() : fse.getClass().getSimpleName();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
