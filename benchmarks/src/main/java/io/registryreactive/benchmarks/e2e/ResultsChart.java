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
    BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(
          RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, WIDTH, HEIGHT);
      g.setColor(Color.BLACK);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 20));
      g.drawString(
          String.format(
              "registry-reactive end-to-end: %d tags, distribution 2.8 on 127.0.0.1, %d cores%s",
              results.options.tags(),
              results.machineBefore.cores(),
              results.loaded() ? " (loaded machine)" : ""),
          30,
          34);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
      g.drawString("items per second, log scale; ~ = sample of the full set", 30, 56);
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
    } finally {
      g.dispose();
    }
    try {
      ImageIO.write(image, "png", file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + file, e);
    }
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
