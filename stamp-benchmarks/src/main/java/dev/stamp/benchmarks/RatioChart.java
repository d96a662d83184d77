package dev.stamp.benchmarks;

import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.CategorySeries.CategorySeriesRenderStyle;
import org.knowm.xchart.style.CategoryStyler;
import org.knowm.xchart.style.Styler.LegendLayout;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.markers.SeriesMarkers;

import dev.stamp.benchmarks.BenchmarkReport.Comparison;

/**
 * A scenario's Stamp / peer throughput ratios (of the medians) as a PNG bar chart, one
 * bar per comparison, coloured by verdict, with the target marked. PNG rather than SVG:
 * XChart draws text as glyph outlines, which makes an SVG of a few bars some 250 KB.
 */
final class RatioChart {

	private static final Color MET = new Color(0x2E7D32);

	private static final Color MISSED = new Color(0xC62828);

	private static final Color NO_TARGET = new Color(0x78909C);

	private static final Color TARGET = Color.BLACK;

	static {
		// The load generator never opens a window; charts are drawn off screen.
		System.setProperty("java.awt.headless", "true");
	}

	private RatioChart() {
	}

	static void write(Path file, String title, List<Comparison> comparisons) throws IOException {
		CategoryChart chart = new CategoryChartBuilder().width(Math.max(640, 160 * comparisons.size()))
			.height(480)
			.title(title)
			.yAxisTitle("Stamp / peer throughput")
			.build();
		CategoryStyler styler = chart.getStyler();
		styler.setDefaultSeriesRenderStyle(CategorySeriesRenderStyle.Bar);
		// One bar per comparison: the verdict series hold a value only where theirs.
		styler.setOverlapped(true);
		styler.setLabelsVisible(true);
		styler.setLabelsPosition(0.9);
		styler.setYAxisMin(0.0);
		// The bars' labels follow the axis' pattern: two decimals, as the report's
		// tables.
		styler.setYAxisDecimalPattern("0.00x");
		styler.setXAxisLabelRotation(20);
		styler.setLegendPosition(LegendPosition.OutsideS);
		styler.setLegendLayout(LegendLayout.Horizontal);
		styler.setChartBackgroundColor(Color.WHITE);
		styler.setPlotGridVerticalLinesVisible(false);
		List<String> names = comparisons.stream().map((comparison) -> comparison.name().replace("_", "")).toList();
		bars(chart, names, comparisons, "target met", MET,
				(comparison) -> comparison.target().hasTarget() && comparison.verdict().equals("yes"));
		bars(chart, names, comparisons, "target missed or borderline", MISSED,
				(comparison) -> comparison.target().hasTarget() && !comparison.verdict().equals("yes"));
		bars(chart, names, comparisons, "no target", NO_TARGET, (comparison) -> !comparison.target().hasTarget());
		List<Double> targets = new ArrayList<>();
		for (Comparison comparison : comparisons) {
			targets.add(comparison.target().hasTarget() ? comparison.target().ratio() : null);
		}
		if (targets.stream().anyMatch(Objects::nonNull)) {
			CategorySeries target = chart.addSeries("target", names, targets);
			target.setChartCategorySeriesRenderStyle(CategorySeriesRenderStyle.Scatter);
			target.setMarker(SeriesMarkers.DIAMOND);
			target.setMarkerColor(TARGET);
		}
		if (file.getParent() != null) {
			Files.createDirectories(file.getParent());
		}
		try (OutputStream out = Files.newOutputStream(file)) {
			BitmapEncoder.saveBitmap(chart, out, BitmapFormat.PNG);
		}
	}

	/**
	 * A series of bars: the throughput ratio where the comparison is of this kind,
	 * nothing elsewhere; left out if there is none.
	 */
	private static void bars(CategoryChart chart, List<String> names, List<Comparison> comparisons, String name,
			Color color, Predicate<Comparison> kind) {
		List<Double> ratios = new ArrayList<>();
		for (Comparison comparison : comparisons) {
			ratios.add(kind.test(comparison) ? comparison.ratio() : null);
		}
		if (ratios.stream().anyMatch(Objects::nonNull)) {
			chart.addSeries(name, names, ratios).setFillColor(color);
		}
	}

}
