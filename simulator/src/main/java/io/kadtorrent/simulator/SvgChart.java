package io.kadtorrent.simulator;

import java.util.List;
import java.util.Locale;

/**
 * Inline SVG charts (bars and lines on linear axes) for the {@link HtmlReport}: drawn here, so the report needs
 * no script and no network. Every text is escaped.
 */
final class SvgChart {

    static final int WIDTH = 560;
    static final int HEIGHT = 300;
    private static final int LEFT = 60;
    private static final int RIGHT = 20;
    private static final int TOP = 34;
    private static final int BOTTOM = 48;
    private static final int PLOT_W = WIDTH - LEFT - RIGHT;
    private static final int PLOT_H = HEIGHT - TOP - BOTTOM;

    /** A line of points, drawn as steps (a CDF) or straight segments with dots. */
    record Series(String name, String color, double[] xs, double[] ys, boolean steps) {
    }

    /** A horizontal reference line (e.g. K = 8 contacts per bucket). */
    record Reference(String label, double y) {
    }

    private final StringBuilder svg = new StringBuilder();
    private final double xMax;
    private final double yMax;

    private SvgChart(String id, String title, double xMax, double yMax) {
        this.xMax = xMax <= 0 ? 1 : xMax;
        this.yMax = yMax <= 0 ? 1 : yMax;
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"%s\" class=\"chart\" "
                + "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\">%n", HtmlReport.escape(id), WIDTH, HEIGHT,
                WIDTH, HEIGHT, WIDTH, HEIGHT));
        svg.append("<title>").append(HtmlReport.escape(title)).append("</title>\n");
        text(WIDTH / 2.0, 20, "middle", "title", title);
    }

    /**
     * Bars, one per label, with a linear y axis from 0; {@code reference} (may be null) draws a dashed line.
     */
    static String bars(String id, String title, String xLabel, String yLabel, List<String> labels, double[] values,
                       Reference reference) {
        double top = reference == null ? 0 : reference.y();
        for (double v : values) {
            top = Math.max(top, v);
        }
        SvgChart c = new SvgChart(id, title, labels.size(), niceCeiling(top));
        c.yAxis(yLabel);
        c.axisLabel(LEFT + PLOT_W / 2.0, HEIGHT - 8, xLabel);
        double slot = (double) PLOT_W / Math.max(1, labels.size());
        int longest = labels.stream().mapToInt(String::length).max().orElse(0);
        int every = Math.max(1, (int) Math.ceil(labels.size() / (longest > 4 ? 7.0 : 16.0))); // labels must not touch
        for (int i = 0; i < labels.size(); i++) {
            double h = values[i] / c.yMax * PLOT_H;
            double x = LEFT + i * slot + slot * 0.1;
            c.svg.append(String.format(Locale.ROOT,
                    "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"><title>%s: %s</title></rect>%n",
                    x, TOP + PLOT_H - h, slot * 0.8, h, HtmlReport.escape(labels.get(i)), number(values[i])));
            if (i % every == 0) {
                c.text(LEFT + (i + 0.5) * slot, TOP + PLOT_H + 16, "middle", "tick", labels.get(i));
            }
        }
        if (reference != null) {
            double y = c.y(reference.y());
            c.svg.append(String.format(Locale.ROOT, "<line class=\"reference\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>%n",
                    LEFT, y, LEFT + PLOT_W, y));
            c.text(LEFT + PLOT_W - 4, y - 5, "end", "tick", reference.label());
        }
        return c.finish();
    }

    /** Lines over linear x and y axes from 0 to {@code xMax} and {@code yMax}, with a legend. */
    static String lines(String id, String title, String xLabel, String yLabel, double xMax, double yMax,
                        List<Series> series) {
        SvgChart c = new SvgChart(id, title, niceCeiling(xMax), niceCeiling(yMax));
        c.yAxis(yLabel);
        c.xAxis(xLabel);
        int legendY = TOP + PLOT_H - 16 * series.size() - 4; // bottom right: above the axis, clear of lines near 100 %
        for (Series s : series) {
            c.polyline(s);
            c.svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"4\" fill=\"%s\"/>%n",
                    LEFT + PLOT_W - 130, legendY, HtmlReport.escape(s.color())));
            c.text(LEFT + PLOT_W - 112, legendY + 6, "start", "tick", s.name());
            legendY += 16;
        }
        return c.finish();
    }

    private void polyline(Series s) {
        StringBuilder points = new StringBuilder();
        for (int i = 0; i < s.xs().length; i++) {
            if (s.steps() && i > 0) {
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x(s.xs()[i]), y(s.ys()[i - 1])));
            }
            points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x(s.xs()[i]), y(s.ys()[i])));
        }
        svg.append(String.format(Locale.ROOT, "<polyline class=\"series\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\" "
                + "points=\"%s\"/>%n", HtmlReport.escape(s.color()), points.toString().strip()));
        if (!s.steps()) {
            for (int i = 0; i < s.xs().length; i++) {
                svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\"><title>%s: %s, %s"
                        + "</title></circle>%n", x(s.xs()[i]), y(s.ys()[i]), HtmlReport.escape(s.color()),
                        HtmlReport.escape(s.name()), number(s.xs()[i]), number(s.ys()[i])));
            }
        }
    }

    private double x(double value) {
        return LEFT + value / xMax * PLOT_W;
    }

    private double y(double value) {
        return TOP + PLOT_H - value / yMax * PLOT_H;
    }

    private void yAxis(String label) {
        for (int i = 0; i <= 5; i++) {
            double v = yMax * i / 5;
            double y = y(v);
            svg.append(String.format(Locale.ROOT, "<line class=\"grid\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>%n",
                    LEFT, y, LEFT + PLOT_W, y));
            text(LEFT - 6, y + 4, "end", "tick", number(v));
        }
        svg.append(String.format(Locale.ROOT, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>%n",
                LEFT, TOP + PLOT_H, LEFT + PLOT_W, TOP + PLOT_H));
        svg.append(String.format(Locale.ROOT, "<text class=\"label\" text-anchor=\"middle\" transform=\"translate(14 %.1f) "
                + "rotate(-90)\">%s</text>%n", TOP + PLOT_H / 2.0, HtmlReport.escape(label)));
    }

    private void xAxis(String label) {
        for (int i = 0; i <= 5; i++) {
            double v = xMax * i / 5;
            text(x(v), TOP + PLOT_H + 16, "middle", "tick", number(v));
        }
        axisLabel(LEFT + PLOT_W / 2.0, HEIGHT - 8, label);
    }

    private void axisLabel(double x, double y, String label) {
        text(x, y, "middle", "label", label);
    }

    private void text(double x, double y, String anchor, String cssClass, String content) {
        svg.append(String.format(Locale.ROOT, "<text class=\"%s\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">%s</text>%n",
                cssClass, x, y, anchor, HtmlReport.escape(content)));
    }

    private String finish() {
        return svg.append("</svg>\n").toString();
    }

    /** The smallest 1, 2 or 5 times a power of ten at or above {@code value} (an axis end that reads well). */
    static double niceCeiling(double value) {
        if (value <= 0) {
            return 1;
        }
        double power = Math.pow(10, Math.floor(Math.log10(value)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * power >= value - 1e-9) {
                return m * power;
            }
        }
        return 10 * power;
    }

    /** {@code v} without a fraction when it is whole, else with one decimal. */
    static String number(double v) {
        return v == Math.rint(v) ? String.format(Locale.ROOT, "%,d", (long) v) : String.format(Locale.ROOT, "%,.1f", v);
    }
}
