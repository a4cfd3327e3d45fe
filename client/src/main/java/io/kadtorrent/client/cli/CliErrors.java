package io.kadtorrent.client.cli;

import java.nio.file.NoSuchFileException;

import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/** Turns an exception escaping a command into one clear line on stderr and exit code 1. */
final class CliErrors {

    static final int FAILURE = 1;

    private CliErrors() {
    }

    static int handle(Exception e, CommandLine cli, ParseResult parsed) {
        boolean verbose = parsed.hasMatchedOption("-v") || isVerbose(cli);
        if (verbose) {
            e.printStackTrace(cli.getErr()); // -v asks for the stack trace
        }
        String message = e instanceof NoSuchFileException missing
                ? "no such file: " + missing.getFile()
                : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        cli.getErr().println("error: " + message);
        return FAILURE;
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
