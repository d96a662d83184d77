package dev.stamp.benchmarks;

import java.util.ArrayList;
import java.util.List;

/**
 * A Markdown table built row by row. A column title starting with {@code >} is
 * right-aligned, one starting with {@code ^} centred (the marker is not printed).
 */
final class MarkdownTable {

	private final List<String> titles = new ArrayList<>();

	private final List<String> separators = new ArrayList<>();

	private final List<List<String>> rows = new ArrayList<>();

	MarkdownTable(String... columns) {
		for (String column : columns) {
			if (column.startsWith(">")) {
				this.titles.add(column.substring(1));
				this.separators.add("---:");
			}
			else if (column.startsWith("^")) {
				this.titles.add(column.substring(1));
				this.separators.add(":---:");
			}
			else {
				this.titles.add(column);
				this.separators.add("---");
			}
		}
	}

	/** Adds a row; cells are printed with {@link String#valueOf(Object)}. */
	MarkdownTable row(Object... cells) {
		if (cells.length != this.titles.size()) {
			throw new IllegalArgumentException(
					"A row of " + cells.length + " cells in a table of " + this.titles.size() + " columns");
		}
		List<String> row = new ArrayList<>();
		for (Object cell : cells) {
			row.add(String.valueOf(cell));
		}
		this.rows.add(row);
		return this;
	}

	boolean isEmpty() {
		return this.rows.isEmpty();
	}

	/** Appends the table and a blank line. */
	void appendTo(StringBuilder md) {
		line(md, this.titles);
		line(md, this.separators);
		for (List<String> row : this.rows) {
			line(md, row);
		}
		md.append('\n');
	}

	private static void line(StringBuilder md, List<String> cells) {
		md.append("| ").append(String.join(" | ", cells)).append(" |\n");
	}

}
