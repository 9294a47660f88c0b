package io.esteira.imageprocessing.thumbnail;

/** The whole corpus again with libjpeg-turbo switched off: the ImageIO path must be as correct on its own. */
class PureJavaThumbnailRendererTest extends ThumbnailRendererTest {

	@Override
	boolean nativeJpeg() {
		return false;
	}

}
