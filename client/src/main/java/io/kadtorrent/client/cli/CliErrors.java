package io.kadtorrent.client.cli;

import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/**
 * Turns an exception escaping a command into one clear line on stderr and exit code 1, and a usage error
 * into one line, a hint and exit code 2.
 */
final class CliErrors {

    static final int FAILURE = 1;

    private CliErrors() {
    }

    static int handle(Exception e, CommandLine cli, ParseResult parsed) {
        boolean verbose = parsed.hasMatchedOption("-v") || isVerbose(cli);
        if (verbose) {
            e.printStackTrace(cli.getErr()); // -v asks for the stack trace
        }
        return report(e, cli.getErr());
    }

    /** The error line of {@code e} on {@code err}; returns the exit code. Also for commands run without picocli. */
    static int report(Exception e, PrintWriter err) {
        err.println("error: " + message(e));
        err.flush();
        return FAILURE;
    }

    /** The one line for {@code e}: a file-system error says which file and why, whatever the JDK put in. */
    static String message(Exception e) {
        if (e instanceof NoSuchFileException missing) {
            return "no such file: " + missing.getFile();
        }
        if (e instanceof FileSystemException fs) {
            return (fs.getFile() == null ? "" : fs.getFile() + ": ") + reason(fs);
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /**
     * {@code e} told about the path the user gave, with the reason: "cannot write out.torrent: permission
     * denied" rather than the JDK's bare path, which may be a temp file's name the user never saw.
     */
    static IOException aboutPath(String doing, Path given, IOException e) {
        String why = e instanceof FileSystemException fs ? reason(fs)
                : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new IOException(doing + " " + given + ": " + why, e);
    }

    /** Why a file-system call failed, in words: the JDK leaves the reason null for the common cases. */
    static String reason(FileSystemException e) {
        if (e.getReason() != null) {
            return e.getReason();
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or folder";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "already exists";
        }
        if (e instanceof NotDirectoryException) {
            return "not a folder";
        }
        if (e instanceof DirectoryNotEmptyException) {
            return "folder not empty";
        }
        return e.getClass().getSimpleName();
    }

    /**
     * A usage error (exit 2): one line saying what is wrong, picocli's "did you mean" when it has one,
     * and where the help is, instead of the whole help text.
     */
    static int handleUsage(ParameterException e, String[] args) {
        CommandLine cli = e.getCommandLine();
        PrintWriter err = cli.getErr();
        err.println("error: " + e.getMessage());
        UnmatchedArgumentException.printSuggestions(e, err);
        err.println("try '" + cli.getCommandSpec().qualifiedName() + " --help'");
        err.flush();
        return cli.getCommandSpec().exitCodeOnInvalidInput();
    }

    private static boolean isVerbose(CommandLine cli) {
        for (CommandLine c = cli; c != null; c = c.getParent()) {
            if (c.getCommand() instanceof Main main && main.verbose) {
                return true;
            }
        }
        return false;
    }
}
