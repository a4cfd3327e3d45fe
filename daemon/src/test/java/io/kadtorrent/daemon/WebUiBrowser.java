package io.kadtorrent.daemon;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Debian's headless chromium driven through its own chromedriver, with nothing downloaded (Selenium Manager
 * is never asked: the driver and the browser are named) and nothing but loopback used. Skips the test, saying
 * why, when either is not installed; {@code .ci/run} installs both.
 */
final class WebUiBrowser implements AutoCloseable {

    static final Path CHROMIUM = Path.of(System.getProperty("webui.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("webui.chromedriver", "/usr/bin/chromedriver"));

    /** Held so the setting sticks: Selenium warns that it has no CDP bindings for this chromium; we use none. */
    private static final java.util.logging.Logger CDP_FINDER =
            java.util.logging.Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder");

    static {
        CDP_FINDER.setLevel(java.util.logging.Level.SEVERE);
    }

    private final ChromeDriverService service;
    private final ChromeDriver driver;
    private final Optional<Path> screenshots;

    private WebUiBrowser(ChromeDriverService service, ChromeDriver driver, Optional<Path> screenshots) {
        this.service = service;
        this.driver = driver;
        this.screenshots = screenshots;
    }

    /**
     * Starts the browser with a fresh profile in {@code profileDir}. Screenshots are saved only when the system
     * property {@code screenshots} names a folder (relative to the repository root).
     */
    static WebUiBrowser start(Path profileDir) throws IOException {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "web UI test skipped: " + CHROMIUM + " or " + CHROMEDRIVER + " is missing; install Debian's "
                        + "chromium and chromium-driver (apt-get install chromium chromium-driver; .ci/run does)");
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString()); // never Selenium Manager
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withLogOutput(java.io.OutputStream.nullOutputStream())
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,800",
                "--no-first-run", "--no-default-browser-check", "--disable-background-networking", "--disable-sync",
                "--disable-component-update", "--disable-default-apps", "--disable-extensions",
                "--disable-domain-reliability", "--password-store=basic", "--lang=en-US",
                "--user-data-dir=" + Files.createDirectories(profileDir));
        ChromeDriver driver;
        try {
            driver = new ChromeDriver(service, options);
        } catch (RuntimeException e) {
            service.stop();
            throw e;
        }
        // the page itself 1280x800, as the UI promises (the window size would include the browser's frame)
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                Map.of("width", 1280, "height", 800, "deviceScaleFactor", 1, "mobile", false));
        return new WebUiBrowser(service, driver, screenshotFolder());
    }

    private static Optional<Path> screenshotFolder() {
        String dir = System.getProperty("screenshots");
        if (dir == null || dir.isBlank()) {
            return Optional.empty();
        }
        Path p = Path.of(dir);
        if (!p.isAbsolute()) {
            Path cwd = Path.of("").toAbsolutePath();
            // surefire runs in the module's folder; the path is meant from the repository root
            Path root = Files.exists(cwd.resolve("../.ci")) ? cwd.getParent() : cwd;
            p = root.resolve(p);
        }
        return Optional.of(p.normalize());
    }

    WebDriver driver() {
        return driver;
    }

    void open(String url) {
        driver.get(url);
    }

    WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    List<WebElement> findAll(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /** Waits on the page's own state (no fixed sleeps); fails with {@code what} after {@code seconds}. */
    <T> T await(String what, int seconds, Function<WebDriver, T> condition) {
        try {
            return new WebDriverWait(driver, Duration.ofSeconds(seconds))
                    .ignoring(StaleElementReferenceException.class)
                    .withMessage(what)
                    .until(condition);
        } catch (TimeoutException e) {
            throw new AssertionError(what + ": not reached in " + seconds + " s; the page said: " + pageText()
                    + "; picture: " + failurePicture(), e);
        }
    }

    private String pageText() {
        try {
            return String.valueOf(driver.executeScript("return 'now=' + Date.now() + ' last=' + document.querySelector('#link').dataset.lastEvent + ' ' + document.body.innerText.replace(/\\s+/g, ' ')"));
        } catch (RuntimeException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    private Path failurePicture() {
        Path p = Path.of("target", "webui-failure.png").toAbsolutePath();
        try {
            Files.createDirectories(p.getParent());
            Files.write(p, driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException | RuntimeException e) {
            return Path.of("(none: " + e.getMessage() + ")");
        }
        return p;
    }

    /** Drops a file on the page as a user dragging it from a file manager would (a DragEvent with the file). */
    void dropFile(String name, byte[] content) {
        driver.executeScript("const bin = atob(arguments[1]);"
                + "const bytes = new Uint8Array(bin.length);"
                + "for (let i = 0; i < bin.length; i++) { bytes[i] = bin.charCodeAt(i); }"
                + "const dt = new DataTransfer();"
                + "dt.items.add(new File([bytes], arguments[0], { type: 'application/x-bittorrent' }));"
                + "document.querySelector('main').dispatchEvent("
                + "new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: dt }));",
                name, java.util.Base64.getEncoder().encodeToString(content));
    }

    /** Saves the window as {@code name}.png when screenshots were asked for. */
    void screenshot(String name) throws IOException {
        if (screenshots.isEmpty()) {
            return;
        }
        Files.createDirectories(screenshots.get());
        Files.write(screenshots.get().resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
        }
    }
}
