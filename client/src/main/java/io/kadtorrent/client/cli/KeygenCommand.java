package io.kadtorrent.client.cli;

import io.kadtorrent.metadata.signing.SigningKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.Callable;

/** {@code kadtorrent keygen -o KEYFILE}: a new Ed25519 publisher key pair. */
@Command(name = "keygen", mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n",
        footer = {
                "  kadtorrent keygen -o alice.key      # writes alice.key (mode 600) and alice.key.pub"},
        description = "Create an Ed25519 publisher key: KEYFILE (private, mode 600) and KEYFILE.pub.")
final class KeygenCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "KEYFILE", description = "Private key file to create.")
    Path keyFile;

    @Override
    public Integer call() throws Exception {
        SigningKey key = SigningKey.generate(new SecureRandom());
        try {
            key.writeTo(keyFile);
        } catch (IOException e) {
            throw CliErrors.aboutPath("cannot write", keyFile, e);
        }
        spec.commandLine().getOut().println("public key: " + key.publicKey().hex());
        spec.commandLine().getOut().println("wrote: " + keyFile + " " + SigningKey.publicKeyFile(keyFile));
        return 0;
    }
}
