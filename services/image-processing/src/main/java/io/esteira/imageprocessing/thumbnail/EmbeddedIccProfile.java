package io.esteira.imageprocessing.thumbnail;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_ColorSpace;
import java.awt.color.ICC_Profile;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.InflaterInputStream;

/**
 * The ICC profile a source embeds, read from its bytes without decoding anything, when this service must apply it
 * itself: a PNG's {@code iCCP} chunk (the JDK's PNG reader ignores it) and a JPEG's APP2 chunks on the TurboJPEG path
 * (ImageIO's JPEG reader applies its profiles itself).
 */
final class EmbeddedIccProfile {

	private EmbeddedIccProfile() {
	}

	/**
	 * The ICC profile of a PNG's {@code iCCP} chunk when it is an RGB profile other than sRGB, else {@code null}.
	 * The JDK's PNG reader decodes the samples as if they were sRGB. The chunk is read from the bytes here rather than
	 * through the reader's metadata, which would also inflate every compressed text chunk (a decompression bomb);
	 * the profile itself is inflated to at most 1 MB.
	 */
	static ICC_Profile ofPng(byte[] png) {
		int offset = 8;
		while (offset + 12 <= png.length) {
			int length = ((png[offset] & 0xFF) << 24) | ((png[offset + 1] & 0xFF) << 16)
					| ((png[offset + 2] & 0xFF) << 8) | (png[offset + 3] & 0xFF);
			String type = new String(png, offset + 4, 4, StandardCharsets.ISO_8859_1);
			if (length < 0 || type.equals("IDAT") || type.equals("IEND") || offset + 12L + length > png.length) {
				return null;
			}
			if (type.equals("iCCP")) {
				int data = offset + 8;
				int name = data;
				while (name < data + length && png[name] != 0) {
					name++;
				}
				// Profile name, NUL, compression method 0 (deflate), compressed profile.
				int compressed = name + 2;
				if (compressed >= data + length) {
					return null;
				}
				try (InflaterInputStream inflated = new InflaterInputStream(
						new ByteArrayInputStream(png, compressed, data + length - compressed))) {
					ICC_Profile profile = ICC_Profile.getInstance(inflated.readNBytes(1 << 20));
					ColorSpace space = new ICC_ColorSpace(profile);
					return (space.getType() == ColorSpace.TYPE_RGB && !space.isCS_sRGB()) ? profile : null;
				}
				catch (IOException | RuntimeException ex) {
					// A broken profile is no reason to refuse the image: its samples are taken as sRGB, as browsers
					// do.
					return null;
				}
			}
			offset += 12 + length;
		}
		return null;
	}

	/**
	 * The JPEG's embedded ICC profile as far as the TurboJPEG path is concerned: none or sRGB (nothing to do), another
	 * RGB profile (applied to the renditions), or one TurboJPEG must leave to ImageIO (CMYK, grey, unreadable).
	 */
	static JpegProfile ofJpeg(byte[] jpeg) {
		byte[] data = TurboJpeg.iccProfile(jpeg);
		if (data == null) {
			return new JpegProfile(true, null);
		}
		try {
			ICC_Profile profile = ICC_Profile.getInstance(data);
			ColorSpace space = new ICC_ColorSpace(profile);
			if (space.getType() != ColorSpace.TYPE_RGB) {
				return new JpegProfile(false, null);
			}
			return new JpegProfile(true, space.isCS_sRGB() ? null : profile);
		}
		catch (RuntimeException ex) {
			return new JpegProfile(false, null);
		}
	}

	/**
	 * @param turboCanApply whether TurboJPEG may decode the JPEG (its profile, if any, is an RGB one)
	 * @param profile the RGB profile to convert the decoded samples from, {@code null} for sRGB
	 */
	record JpegProfile(boolean turboCanApply, ICC_Profile profile) {
	}

}
