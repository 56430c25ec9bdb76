package io.registryreactive.benchmarks.e2e;

import io.registryreactive.benchmarks.e2e.Measurement.Network;
import io.registryreactive.benchmarks.e2e.Measurement.Operation;
import io.registryreactive.benchmarks.e2e.Measurement.Tool;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.imageio.ImageIO;

/**
 * Draws {@code benchmarks/results.png} with headless AWT: one panel per network, bars per operation
 * and tool on a log scale (the rates span three orders of magnitude), each labelled with its value.
 */
final class ResultsChart {
  private static final int WIDTH = 1500;
  private static final int HEIGHT = 760;
  private static final int TARGETS_HEIGHT = 440;
  private static final BasicStroke DASHED =
      new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0);
  private static final List<Operation> OPERATIONS =
      List.of(Operation.LOOKUP, Operation.DELETE, Operation.PLAN);
  private static final List<Tool> TOOLS =
      List.of(Tool.CEILING_WRK, Tool.CEILING_AB, Tool.SDK, Tool.CLI, Tool.SEQUENTIAL, Tool.SKOPEO);
  private static final Map<Tool, Color> COLORS =
      Map.of(
          Tool.CEILING_WRK, new Color(0x9e9e9e),
          Tool.CEILING_AB, new Color(0xc8c8c8),
          Tool.SDK, new Color(0x1f77b4),
          Tool.CLI, new Color(0x2ca02c),
          Tool.SEQUENTIAL, new Color(0xd62728),
          Tool.SKOPEO, new Color(0xff7f0e));

  private final BenchmarkResults results;

  ResultsChart(BenchmarkResults results) {
    this.results = results;
  }

  void write(Path file) {
    System.setProperty("java.awt.headless", "true");
    boolean baseline = results.options.baseline();
    boolean targets = results.options.targets();
    int targetsTop = baseline ? HEIGHT : 70;
    int height = targets ? targetsTop + TARGETS_HEIGHT : HEIGHT;
    BufferedImage image = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(
          RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, WIDTH, height);
      g.setColor(Color.BLACK);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 20));
      g.drawString(
          String.format(
              "registry-reactive end-to-end: distribution 2.8 on 127.0.0.1, %d cores%s",
              results.machineBefore.cores(), results.loaded() ? " (loaded machine)" : ""),
          30,
          34);
      if (targets) {
        targetsPanel(g, 30, targetsTop, WIDTH - 60, TARGETS_HEIGHT - 20);
      }
      if (baseline) {
        baselinePanels(g);
      }
    } finally {
      g.dispose();
    }
    try {
      ImageIO.write(image, "png", file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + file, e);
    }
  }

  private void baselinePanels(Graphics2D g) {
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
    g.drawString(
        String.format(
            "%d tags in one repository, every tool: items per second, log scale; ~ = sample of the full set",
            results.options.tags()),
        30,
        56);
    double max =
        results.measurements.stream()
            .filter(m -> OPERATIONS.contains(m.operation()))
            .mapToDouble(Measurement::rate)
            .max()
            .orElse(10);
    double top = Math.pow(10, Math.ceil(Math.log10(Math.max(10, max * 1.2))));
    int panelWidth = (WIDTH - 60) / 2;
    panel(g, Network.DIRECT, 30, 80, panelWidth - 20, HEIGHT - 190, top);
    panel(g, Network.DELAYED, 30 + panelWidth + 20, 80, panelWidth - 20, HEIGHT - 190, top);
    legend(g, 30, HEIGHT - 60);
  }

  /**
   * The target rows on a linear scale: per row the ceiling (wrk) and registry-prune side by side, a
   * dashed line at the rate the target asks for, and the ratio over the pair.
   */
  private void targetsPanel(Graphics2D g, int x, int y, int w, int h) {
    List<TargetRow> rows = results.targets;
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
    g.drawString(
        "Targets (issue 13), direct loopback: registry-prune tags/s (whole process) against the"
            + " ceiling, wrk GET req/s on the same manifests; linear scale",
        x,
        y + 16);
    int left = x + 60;
    int plotW = w - 60;
    int bottom = y + h - 84;
    int plotH = h - 144;
    double max =
        rows.stream().mapToDouble(t -> Math.max(t.ceilingRate(), t.cliRate())).max().orElse(100);
    double step = Math.pow(10, Math.floor(Math.log10(Math.max(1, max))));
    if (max / step < 3) {
      step /= 2;
    }
    double top = Math.ceil(max * 1.15 / step) * step;
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    for (double v = 0; v <= top + 1e-9; v += step) {
      int yy = bottom - (int) Math.round(plotH * v / top);
      g.setColor(new Color(0xe6e6e6));
      g.drawLine(left, yy, left + plotW, yy);
      g.setColor(Color.DARK_GRAY);
      String label = String.format("%,.0f", v);
      g.drawString(label, left - 8 - g.getFontMetrics().stringWidth(label), yy + 4);
    }
    g.setColor(Color.BLACK);
    g.setStroke(new BasicStroke(1.2f));
    g.drawLine(left, bottom, left + plotW, bottom);
    g.drawLine(left, bottom, left, bottom - plotH);
    if (rows.isEmpty()) {
      g.drawString("no target row was measured (see RESULTS.md)", left + 20, bottom - plotH / 2);
      return;
    }
    int groupW = plotW / rows.size();
    int barW = Math.min(90, (groupW - 40) / 2);
    for (int i = 0; i < rows.size(); i++) {
      TargetRow t = rows.get(i);
      int groupX = left + i * groupW;
      int startX = groupX + (groupW - 2 * barW) / 2;
      double[] values = {t.ceilingRate(), t.cliRate()};
      Color[] colors = {COLORS.get(Tool.CEILING_WRK), COLORS.get(Tool.CLI)};
      for (int b = 0; b < 2; b++) {
        int barH = (int) Math.round(plotH * values[b] / top);
        int bx = startX + b * barW;
        g.setColor(colors[b]);
        g.fillRect(bx + 4, bottom - barH, barW - 8, barH);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        String label = ResultsReport.rate(values[b]);
        g.drawString(
            label, bx + (barW - g.getFontMetrics().stringWidth(label)) / 2, bottom - barH - 4);
      }
      int targetY = bottom - (int) Math.round(plotH * t.target() * t.ceilingRate() / top);
      g.setColor(new Color(0xd62728));
      g.setStroke(DASHED);

      g.drawLine(startX + barW, targetY, startX + 2 * barW, targetY);
      g.setStroke(new BasicStroke(1.2f));
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
      g.setColor(t.met() ? new Color(0x2ca02c) : new Color(0xd62728));
      // Two short lines, so that eight rows side by side do not overlap.
      String ratio = String.format("%.2f x (>= %.2f)", t.ratio(), t.target());
      String verdict = t.met() ? "met" : "missed";
      int ratioY =
          bottom - (int) Math.round(plotH * Math.max(t.ceilingRate(), t.cliRate()) / top) - 22;
      g.drawString(ratio, groupX + (groupW - g.getFontMetrics().stringWidth(ratio)) / 2, ratioY);
      g.drawString(
          verdict, groupX + (groupW - g.getFontMetrics().stringWidth(verdict)) / 2, ratioY - 16);
      g.setColor(Color.BLACK);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
      String name = t.name().replaceAll(" \\(.*", "").replace("`", "");
      String layout =
          t.layout().replace(" in one repository", " in 1 repo").replace(" repositories", " repos");
      FontMetrics fm = g.getFontMetrics();
      g.drawString(name, groupX + (groupW - fm.stringWidth(name)) / 2, bottom + 18);
      g.drawString(layout, groupX + (groupW - fm.stringWidth(layout)) / 2, bottom + 34);
    }
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    int ly = y + h - 4;
    g.setColor(COLORS.get(Tool.CEILING_WRK));
    g.fillRect(x, ly - 12, 18, 14);
    g.setColor(Color.BLACK);
    g.drawString("ceiling: wrk GET, the layout's manifest URLs, 16 conns", x + 24, ly);
    g.setColor(COLORS.get(Tool.CLI));
    g.fillRect(x + 420, ly - 12, 18, 14);
    g.setColor(Color.BLACK);
    g.drawString("registry-prune prune --concurrency 16 (median run)", x + 444, ly);
    g.setColor(new Color(0xd62728));
    g.setStroke(DASHED);
    g.drawLine(x + 820, ly - 5, x + 850, ly - 5);
    g.setStroke(new BasicStroke(1.2f));
    g.setColor(Color.BLACK);
    g.drawString("the rate the target asks for", x + 858, ly);
  }

  private void panel(Graphics2D g, Network network, int x, int y, int w, int h, double top) {
    int left = x + 60;
    int plotW = w - 60;
    int bottom = y + h - 40;
    int plotH = h - 70;
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
    g.setColor(Color.BLACK);
    g.drawString(network.label, left, y + 16);
    // Grid lines at each power of ten.
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    for (double v = 1; v <= top; v *= 10) {
      int yy = bottom - (int) Math.round(plotH * Math.log10(v) / Math.log10(top));
      g.setColor(new Color(0xe6e6e6));
      g.drawLine(left, yy, left + plotW, yy);
      g.setColor(Color.DARK_GRAY);
      String label = v >= 1000 ? String.format("%,.0f", v) : String.format("%.0f", v);
      g.drawString(label, left - 8 - g.getFontMetrics().stringWidth(label), yy + 4);
    }
    g.setColor(Color.BLACK);
    g.setStroke(new BasicStroke(1.2f));
    g.drawLine(left, bottom, left + plotW, bottom);
    g.drawLine(left, bottom, left, bottom - plotH);

    int groupW = plotW / OPERATIONS.size();
    for (int gi = 0; gi < OPERATIONS.size(); gi++) {
      Operation op = OPERATIONS.get(gi);
      List<Measurement> bars =
          TOOLS.stream().map(t -> results.find(network, op, t)).flatMap(Optional::stream).toList();
      int groupX = left + gi * groupW;
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
      g.setColor(Color.BLACK);
      String name = op.label;
      g.drawString(name, groupX + (groupW - g.getFontMetrics().stringWidth(name)) / 2, bottom + 22);
      if (bars.isEmpty()) {
        continue;
      }
      int barW = Math.min(56, (groupW - 30) / bars.size());
      int startX = groupX + (groupW - barW * bars.size()) / 2;
      for (int bi = 0; bi < bars.size(); bi++) {
        Measurement m = bars.get(bi);
        double v = Math.max(1, m.rate());
        int barH = (int) Math.round(plotH * Math.log10(v) / Math.log10(top));
        int bx = startX + bi * barW;
        g.setColor(COLORS.get(m.tool()));
        g.fillRect(bx + 3, bottom - barH, barW - 6, barH);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        String label = (m.extrapolated() ? "~" : "") + ResultsReport.rate(m.rate());
        drawRotated(g, label, bx + barW / 2 + 4, bottom - barH - 4);
      }
    }
  }

  /**
   * Writes {@code text} upwards from ({@code x}, {@code y}), so long numbers fit over narrow bars.
   */
  private static void drawRotated(Graphics2D g, String text, int x, int y) {
    AffineTransform saved = g.getTransform();
    g.translate(x, y);
    g.rotate(-Math.PI / 2);
    g.drawString(text, 0, 0);
    g.setTransform(saved);
  }

  private static void legend(Graphics2D g, int x, int y) {
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    FontMetrics fm = g.getFontMetrics();
    int cx = x;
    int cy = y;
    for (Tool tool : TOOLS) {
      int w = 18 + 6 + fm.stringWidth(tool.label) + 24;
      if (cx + w > WIDTH - 20) {
        cx = x;
        cy += 22;
      }
      g.setColor(COLORS.get(tool));
      g.fillRect(cx, cy - 12, 18, 14);
      g.setColor(Color.BLACK);
      g.drawString(tool.label, cx + 24, cy);
      cx += w;
    }
  }
}
