package io.esteira.imageprocessing.thumbnail;

import java.util.ArrayList;
import java.util.List;

/** A JPEG's marker segments up to the start of the scan, where its metadata lives (EXIF, ICC profile). */
final class JpegSegments {

	private JpegSegments() {
	}

	/**
	 * One marker segment.
	 * @param marker the marker's second byte ({@code 0xE1} APP1, {@code 0xE2} APP2, ...)
	 * @param length the segment's length field (counting itself, not the marker)
	 * @param data where the segment's content starts
	 * @param end where the segment ends, as its length says: may lie past the end of a truncated file
	 */
	record Segment(int marker, int length, int data, int end) {
	}

	/** The segments before the scan (or the end of the image), stopping at the first that makes no sense. */
	static List<Segment> of(byte[] jpeg) {
		List<Segment> segments = new ArrayList<>();
		walk(jpeg, Integer.MAX_VALUE, segments);
		return segments;
	}

	/**
	 * How many segments come before the scan, counting no further than {@code max + 1}: a file of nothing but empty
	 * segments (four bytes each) would otherwise hold millions, and every reader keeps an object per segment.
	 */
	static int count(byte[] jpeg, int max) {
		return walk(jpeg, max + 1, null);
	}

	/** Walks the segments before the scan, at most {@code stopAfter}, adding them to {@code into} when given. */
	private static int walk(byte[] jpeg, int stopAfter, List<Segment> into) {
		int count = 0;
		int offset = 2;
		while (count < stopAfter && offset + 4 <= jpeg.length && (jpeg[offset] & 0xFF) == 0xFF) {
			int marker = jpeg[offset + 1] & 0xFF;
			if (marker == 0xDA || marker == 0xD9) {
				break;
			}
			if (marker == 0xFF) {
				// Fill bytes before a marker.
				offset++;
				continue;
			}
			int length = ((jpeg[offset + 2] & 0xFF) << 8) | (jpeg[offset + 3] & 0xFF);
			if (length < 2) {
				break;
			}
			if (into != null) {
				into.add(new Segment(marker, length, offset + 4, offset + 2 + length));
			}
			count++;
			offset += 2 + length;
		}
		return count;
	}

}
