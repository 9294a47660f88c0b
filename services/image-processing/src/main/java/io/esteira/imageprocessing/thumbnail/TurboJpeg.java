package io.esteira.imageprocessing.thumbnail;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.awt.image.DirectColorModel;
import java.awt.image.Raster;
import java.awt.image.SinglePixelPackedSampleModel;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JPEG decoding at reduced size (DCT scaling: 1/8 to 8/8) with libjpeg-turbo's TurboJPEG API
 * ({@code libturbojpeg.so.0}, Debian package {@code libturbojpeg0}) through the Foreign Function and Memory API. A
 * scaled decode skips most of the inverse DCT and upsampling work, which ImageIO cannot. Used only for YCbCr and
 * greyscale JPEGs (the caller applies an embedded RGB ICC profile to the results); everything else (CMYK, YCCK) and
 * any data the library warns about goes to ImageIO and TwelveMonkeys. Absent library: {@link #available()} is
 * false.
 */
final class TurboJpeg {

	private static final Logger logger = LoggerFactory.getLogger(TurboJpeg.class);

	private static final int TJPF_BGRX = 3;

	private static final int TJCS_YCBCR = 1;

	private static final int TJCS_GRAY = 2;

	/** Stop at the first warning (truncated data...) so that ImageIO decides; limit progressive scans to 500. */
	private static final int FLAGS = 8192 | 32768;

	private static final MethodHandle init;

	private static final MethodHandle header;

	private static final MethodHandle decompress;

	private static final MethodHandle destroy;

	static {
		MethodHandle[] handles = new MethodHandle[4];
		try {
			Linker linker = Linker.nativeLinker();
			SymbolLookup library = SymbolLookup.libraryLookup("libturbojpeg.so.0", Arena.global());
			handles[0] = linker.downcallHandle(library.findOrThrow("tjInitDecompress"),
					FunctionDescriptor.of(ValueLayout.ADDRESS));
			handles[1] = linker.downcallHandle(library.findOrThrow("tjDecompressHeader3"),
					FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS,
							ValueLayout.JAVA_LONG, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS,
							ValueLayout.ADDRESS));
			handles[2] = linker.downcallHandle(library.findOrThrow("tjDecompress2"),
					FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS,
							ValueLayout.JAVA_LONG, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
							ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
			handles[3] = linker.downcallHandle(library.findOrThrow("tjDestroy"),
					FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
			logger.info("libjpeg-turbo found: JPEGs are decoded at reduced size through TurboJPEG");
		}
		catch (RuntimeException | LinkageError ex) {
			// IllegalArgumentException when the library is missing; IllegalCallerException without native access.
			handles = new MethodHandle[4];
			logger.info("libjpeg-turbo (libturbojpeg.so.0) not usable ({}); JPEGs are decoded with ImageIO",
					ex.toString());
		}
		init = handles[0];
		header = handles[1];
		decompress = handles[2];
		destroy = handles[3];
	}

	private TurboJpeg() {
	}

	static boolean available() {
		return init != null;
	}

	/**
	 * Decodes {@code jpeg} scaled by the smallest factor n/8 whose longest side is still at least {@code minSide},
	 * as {@code TYPE_INT_RGB}; {@code null} when this JPEG is not for TurboJPEG (colour space, ICC profile, any
	 * warning or error): the caller decodes it with ImageIO then.
	 */
	static BufferedImage decode(byte[] jpeg, int minSide) {
		if (!available()) {
			return null;
		}
		try (Arena arena = Arena.ofConfined()) {
			MemorySegment handle = (MemorySegment) init.invokeExact();
			if (handle.equals(MemorySegment.NULL)) {
				return null;
			}
			try {
				MemorySegment source = arena.allocate(jpeg.length);
				MemorySegment.copy(jpeg, 0, source, ValueLayout.JAVA_BYTE, 0, jpeg.length);
				MemorySegment ints = arena.allocate(ValueLayout.JAVA_INT, 4);
				int status = (int) header.invokeExact(handle, source, (long) jpeg.length, ints,
						ints.asSlice(4), ints.asSlice(8), ints.asSlice(12));
				int width = ints.getAtIndex(ValueLayout.JAVA_INT, 0);
				int height = ints.getAtIndex(ValueLayout.JAVA_INT, 1);
				int colorspace = ints.getAtIndex(ValueLayout.JAVA_INT, 3);
				if (status != 0 || width <= 0 || height <= 0
						|| (colorspace != TJCS_YCBCR && colorspace != TJCS_GRAY)) {
					return null;
				}
				int eighths = 8;
				int longest = Math.max(width, height);
				while (eighths > 1 && scaled(longest, eighths - 1) >= minSide) {
					eighths--;
				}
				int w = scaled(width, eighths);
				int h = scaled(height, eighths);
				MemorySegment pixels = arena.allocate(ValueLayout.JAVA_INT, (long) w * h);
				status = (int) decompress.invokeExact(handle, source, (long) jpeg.length, pixels, w, w * 4, h,
						TJPF_BGRX, FLAGS);
				if (status != 0) {
					return null;
				}
				// BGRX bytes are little-endian 0xXXRRGGBB ints: TYPE_INT_RGB ignores the top byte.
				int[] rgb = pixels.toArray(ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN));
				return intRgb(rgb, w, h);
			}
			finally {
				int ignored = (int) destroy.invokeExact(handle);
			}
		}
		catch (Throwable ex) {
			if (ex instanceof Error error && !(ex instanceof LinkageError)) {
				throw error;
			}
			logger.warn("TurboJPEG failed; decoding with ImageIO", ex);
			return null;
		}
	}

	/** TurboJPEG's TJSCALED: ceil(dimension * eighths / 8). */
	private static int scaled(int dimension, int eighths) {
		return (dimension * eighths + 7) / 8;
	}

	private static BufferedImage intRgb(int[] rgb, int w, int h) {
		DirectColorModel model = new DirectColorModel(24, 0xFF0000, 0xFF00, 0xFF);
		SinglePixelPackedSampleModel sampleModel = new SinglePixelPackedSampleModel(
				java.awt.image.DataBuffer.TYPE_INT, w, h, new int[] { 0xFF0000, 0xFF00, 0xFF });
		WritableRaster raster = Raster.createWritableRaster(sampleModel, new DataBufferInt(rgb, rgb.length), null);
		return new BufferedImage(model, raster, false, null);
	}

	/**
	 * The ICC profile in the JPEG's APP2 {@code ICC_PROFILE} segments (chunks joined in sequence order), or
	 * {@code null} when there is none or the chunks are inconsistent.
	 */
	static byte[] iccProfile(byte[] jpeg) {
		byte[][] chunks = null;
		for (JpegSegments.Segment segment : JpegSegments.of(jpeg)) {
			int data = segment.data();
			if (segment.marker() == 0xE2 && segment.length() >= 16 && segment.end() <= jpeg.length
					&& new String(jpeg, data, 12, StandardCharsets.ISO_8859_1).equals("ICC_PROFILE\0")) {
				int sequence = jpeg[data + 12] & 0xFF;
				int count = jpeg[data + 13] & 0xFF;
				if (chunks == null) {
					chunks = new byte[Math.max(1, count)][];
				}
				if (sequence < 1 || sequence > chunks.length || count != chunks.length) {
					return null;
				}
				chunks[sequence - 1] = Arrays.copyOfRange(jpeg, data + 14, segment.end());
			}
		}
		if (chunks == null) {
			return null;
		}
		ByteArrayOutputStream profile = new ByteArrayOutputStream();
		for (byte[] chunk : chunks) {
			if (chunk == null) {
				return null;
			}
			profile.writeBytes(chunk);
		}
		return profile.toByteArray();
	}

}
