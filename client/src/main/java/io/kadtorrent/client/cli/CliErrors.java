package io.kadtorrent.client.cli;

import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;

import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;
import picocli.CommandLine.ParseResult;

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
        String message = e instanceof NoSuchFileException missing
                ? "no such file: " + missing.getFile()
                : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        cli.getErr().println("error: " + message);
        return FAILURE;
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
