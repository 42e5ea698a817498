"""Responsive image variants and social cards, in real builds of small sites.

Every image here is made with Pillow in the test's folder: a photo-like hero (gradient and
noise, so it compresses like a photo), a JPEG carrying GPS EXIF, a small one that must
not be enlarged, a PNG author photo.
"""

from __future__ import annotations

import io
import logging
import re

import pytest
from byline.social_cards import fit_headline, serif, theme_palette, wrap
from byline.variants import SMALLEST_MAX_BYTES, planned_widths
from conftest import build, page, write_site
from PIL import Image, ImageOps


def photo(width: int, height: int, fmt: str = "JPEG", **save) -> bytes:
    """A noisy gradient: as hard to compress as a real photograph, or harder."""
    gradient = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    noise = Image.effect_noise((width, height), 60).convert("RGB")
    image = Image.blend(gradient, noise, 0.5)
    out = io.BytesIO()
    image.save(out, fmt, **save)
    return out.getvalue()


def gps_photo() -> bytes:
    """A 1600x900 JPEG taken 'sideways' (orientation 6) with GPS coordinates in its EXIF."""
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90 degrees clockwise to show
    exif[0x010F] = "Example Camera Co"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (51.0, 30.0, 12.5)
    gps[3], gps[4] = "W", (0.0, 7.0, 39.0)
    return photo(1600, 900, exif=exif.tobytes())


def post(slug: str, image: str = "", extra: str = "") -> str:
    lines = [
        f"Title: The {slug} story, told at length",
        "Date: 2026-08-25 09:00",
        "Author: Priya Nair",
        "Category: Money",
        f"Summary: What {slug} teaches a small business.",
    ]
    if image:
        lines += [f"Image: {image}", f"Image_alt: A picture for {slug}"]
    return "\n".join(lines) + extra + f"\n\nThe body of {slug}, in a few plain words.\n"


AUTHORS = '["Priya Nair"]\nrole = "Writes about money."\nphoto = "images/authors/priya.png"\n'


def files(**extra) -> dict:
    found = {
        "authors.toml": AUTHORS,
        "images/authors/priya.png": photo(300, 300, "PNG"),
        "images/heroes/wide.jpg": photo(1600, 900),
        "wide.md": post("wide", "images/heroes/wide.jpg"),
    }
    found.update(extra)
    return found


HERO = "//figure[@class='hero']//img"


def picture(output, relative: str, selector: str):
    """(webp candidates, fallback candidates, img) of the <picture> around ``selector``.

    libxml2's HTML parser does not know <source> is empty and nests the <img> in it, so
    the <picture> is found as an ancestor.
    """
    html = page(output, relative)
    img = html.xpath(selector)[0]
    holder = img.xpath("ancestor::picture")
    assert holder, f"{selector} is not inside a <picture>"
    source = holder[0].xpath(".//source")[0]
    assert source.get("type") == "image/webp"
    return candidates(source.get("srcset")), candidates(img.get("srcset")), img


def in_picture(img) -> bool:
    return bool(img.xpath("ancestor::picture"))


def candidates(srcset: str) -> list[tuple[str, str]]:
    return [tuple(part.strip().split(" ")) for part in srcset.split(",")]


def local(output, url: str):
    return output / re.sub(r"^(\.\./)+|^/", "", url)


def test_hero_variants_exist_in_webp_and_jpeg_at_each_width(site):
    output = site(files())
    webp, fallback, img = picture(output, "wide/", HERO)
    assert [w for _, w in webp] == ["400w", "800w", "1200w"]
    assert [w for _, w in fallback] == ["400w", "800w", "1200w"]
    # width and height on the <img>: the browser reserves the box before the file arrives
    assert (img.get("width"), img.get("height")) == ("1200", "675")
    assert img.get("sizes") and img.get("src").endswith("-1200.jpg")
    for (url, descriptor), fmt in [*((c, "WEBP") for c in webp), *((c, "JPEG") for c in fallback)]:
        with Image.open(local(output, url)) as made:
            assert made.format == fmt
            assert made.width == int(descriptor[:-1])
            assert made.height == round(made.width * 900 / 1600)
    # the home page's lead and the section page's cards use the same files
    lead = page(output, "").xpath("//img[@class='lead-image']")[0]
    assert in_picture(lead) and lead.get("fetchpriority") == "high"
    thumbs = page(output, "section/money/").xpath("//img[@class='story-thumb']")
    assert thumbs and all(in_picture(t) for t in thumbs)


def test_a_small_image_is_never_enlarged(site):
    output = site(
        files(
            **{"images/heroes/small.jpg": photo(600, 400)},
            **{"small.md": post("small", "images/heroes/small.jpg")},
        )
    )
    webp, fallback, img = picture(output, "small/", HERO)
    assert [w for _, w in webp] == ["400w", "600w"] == [w for _, w in fallback]
    assert (img.get("width"), img.get("height")) == ("600", "400")
    assert not list((output / "images" / "variants").glob("small-*-800.*"))
    assert planned_widths(300, (400, 800, 1200)) == (300,)


def test_exif_and_gps_are_stripped_and_the_photo_is_turned_upright(site):
    source = gps_photo()
    with Image.open(io.BytesIO(source)) as original:  # the fixture really carries GPS
        assert original.getexif().get_ifd(0x8825)[2] == (51.0, 30.0, 12.5)
    output = site(
        files(**{"images/heroes/gps.jpg": source, "gps.md": post("gps", "images/heroes/gps.jpg")})
    )
    webp, fallback, img = picture(output, "gps/", HERO)
    # shown upright: the 1600x900 sensor image is 900 wide and 1600 high
    assert (img.get("width"), img.get("height")) == ("900", "1600")
    made = [local(output, url) for url, _ in [*webp, *fallback]]
    made.append(output / "images/email/heroes/gps.jpg")  # what the email loads
    for path in made:
        data = path.read_bytes()
        assert b"Exif" not in data and b"Example Camera" not in data, path.name
        with Image.open(path) as variant:
            assert not variant.getexif(), path.name
            assert variant.width < variant.height


def test_a_warm_rebuild_makes_no_image_again(tmp_path, caplog):
    content = write_site(tmp_path, files(**{"nohero.md": post("nohero")}))
    caplog.set_level(logging.INFO, logger="byline.plugin")
    build(tmp_path / "output", content=content)
    cold = [r.getMessage() for r in caplog.records if r.getMessage().startswith("Images:")]
    assert cold and "1 social cards made" in cold[-1] and " 0 variants made" not in cold[-1]
    cache = tmp_path / "cache"
    before = {p: p.stat().st_mtime_ns for p in cache.rglob("*") if p.is_file()}
    caplog.clear()
    build(tmp_path / "output", content=content)
    warm = [r.getMessage() for r in caplog.records if r.getMessage().startswith("Images:")]
    assert warm[-1].startswith("Images: 0 variants made, 10 from the cache; 0 social cards made")
    after = {p: p.stat().st_mtime_ns for p in cache.rglob("*") if p.is_file()}
    assert {p: t for p, t in after.items() if "byline-lint" not in p.name} == {
        p: t for p, t in before.items() if "byline-lint" not in p.name
    }


def test_a_remote_hero_is_used_as_it_is(site):
    url = "https://images.example.com/hero.jpg"
    output = site(files(**{"remote.md": post("remote", url)}))
    img = page(output, "remote/").xpath("//figure[@class='hero']//img")[0]
    assert img.get("src") == url and not in_picture(img)
    meta = page(output, "remote/").xpath("//meta[@property='og:image']")[0]
    assert meta.get("content") == url


def test_the_email_loads_a_jpeg_at_a_path_that_stays_the_same(site):
    output = site(files(), SITEURL="https://example.com")
    html = (output / "newsletter" / "1" / "email.html").read_text()
    srcs = re.findall(r'<img[^>]+src="([^"]+)"', html)
    assert srcs == ["https://example.com/images/email/heroes/wide.jpg"]
    with Image.open(output / "images/email/heroes/wide.jpg") as email_image:
        assert email_image.format == "JPEG" and email_image.width == 1200
    assert ".webp" not in html


def test_a_card_s_smallest_candidate_stays_under_40_kb(site):
    noisy = photo(2400, 1350, quality=95)
    output = site(
        files(
            **{
                "images/heroes/noisy.jpg": noisy,
                "noisy.md": post("noisy", "images/heroes/noisy.jpg"),
            }
        )
    )
    for relative in ("section/money/", "wide/"):
        for thumb in page(output, relative).xpath("//img[@class='story-thumb']"):
            source = thumb.xpath("ancestor::picture//source")[0]
            smallest = candidates(source.get("srcset"))[0][0]
            assert local(output, smallest).stat().st_size <= SMALLEST_MAX_BYTES
            # a card's fallback (browsers without WebP) is the narrowest JPEG alone:
            # no JPEG srcset repeated in every card of every page
            assert thumb.get("srcset") is None and thumb.get("src").endswith("-400.jpg")
            assert local(output, thumb.get("src")).stat().st_size <= SMALLEST_MAX_BYTES
            # its box keeps the picture's shape, so nothing shifts while it loads
            assert (thumb.get("width"), thumb.get("height")) == ("400", "225")


def test_a_post_without_a_hero_shares_its_own_card(site):
    output = site(
        files(**{"nohero.md": post("nohero")}), SITEURL="https://example.com", RELATIVE_URLS=False
    )
    html = page(output, "nohero/")
    og = html.xpath("//meta[@property='og:image']")[0].get("content")
    twitter = html.xpath("//meta[@name='twitter:image']")[0].get("content")
    assert og == twitter and re.fullmatch(r"https://example.com/images/cards/nohero-\w{8}\.png", og)
    assert html.xpath("//meta[@property='og:image:width']")[0].get("content") == "1200"
    with Image.open(output / og.removeprefix("https://example.com/")) as card:
        assert card.size == (1200, 630) and card.format == "PNG"
    # a post with a hero keeps sharing its hero
    hero_og = page(output, "wide/").xpath("//meta[@property='og:image']")[0].get("content")
    assert "/images/variants/wide-" in hero_og and hero_og.endswith("-1200.jpg")
    assert not list((output / "images" / "cards").glob("wide-*"))


@pytest.mark.parametrize("links", [False, True])
def test_the_published_original_keeps_no_gps_and_stays_upright(tmp_path, links):
    """The source file is published too (and variants off show it): its metadata is cut
    out without re-encoding, the orientation kept; the file in content/ is untouched,
    even when Pelican hard-links static files (STATIC_CREATE_LINKS)."""
    source = gps_photo()
    content = write_site(
        tmp_path,
        files(**{"images/heroes/gps.jpg": source, "gps.md": post("gps", "images/heroes/gps.jpg")}),
    )
    output = build(
        tmp_path / "output",
        content=content,
        STATIC_CREATE_LINKS=links,
        BYLINE_IMAGE_VARIANTS=False,
        BYLINE_SOCIAL_CARDS=False,
    )
    published = output / "images/heroes/gps.jpg"
    data = published.read_bytes()
    assert b"Example Camera" not in data
    with Image.open(published) as image:
        exif = image.getexif()
        assert not exif.get_ifd(0x8825) and set(exif) == {0x0112}  # orientation alone
        assert ImageOps.exif_transpose(image).size == (900, 1600)
    # The pixels are the same bytes: nothing was re-encoded.
    assert source.endswith(data[-4096:])
    assert (content / "images/heroes/gps.jpg").read_bytes() == source


def test_published_png_and_webp_lose_their_text_and_exif(tmp_path):
    from PIL import PngImagePlugin

    image = Image.new("RGB", (64, 32), (20, 90, 160))
    info = PngImagePlugin.PngInfo()
    info.add_text("Location", "51.5 N, 0.12 W")
    info.add_itxt("XML:com.adobe.xmp", "<x:xmpmeta>GPSLatitude 51.5</x:xmpmeta>")
    png, webp = io.BytesIO(), io.BytesIO()
    image.save(png, "PNG", pnginfo=info)
    exif = Image.Exif()
    exif.get_ifd(0x8825)[1] = "N"
    exif[0x010F] = "Example Camera"
    image.save(webp, "WEBP", exif=exif.tobytes())
    attaching = post("attached", extra="") + "\n![Where we are]({attach}images/inline/where.png)\n"
    content = write_site(
        tmp_path,
        {
            "images/map.png": png.getvalue(),
            "images/shot.webp": webp.getvalue(),
            # {attach} publishes the file beside the post's page, outside images/
            "images/inline/where.png": png.getvalue(),
            "attached.md": attaching,
            **files(),
        },
    )
    output = build(
        tmp_path / "output", content=content, BYLINE_IMAGE_VARIANTS=False, BYLINE_SOCIAL_CARDS=False
    )
    assert (output / "attached/images/inline/where.png").is_file()
    for path in ("images/map.png", "images/shot.webp", "attached/images/inline/where.png"):
        data = (output / path).read_bytes()
        assert b"51.5" not in data and b"Example Camera" not in data, path
        with Image.open(output / path) as published:
            assert published.size == (64, 32) and not published.getexif(), path
    # PNG is lossless: the very pixels, nothing re-encoded
    with Image.open(output / "images" / "map.png") as published:
        assert published.convert("RGB").getpixel((5, 5)) == (20, 90, 160)


def test_variants_off_prints_the_source_files(site):
    output = site(
        files(**{"nohero.md": post("nohero")}),
        BYLINE_IMAGE_VARIANTS=False,
        BYLINE_SOCIAL_CARDS=False,
    )
    img = page(output, "wide/").xpath("//figure[@class='hero']//img")[0]
    assert img.get("src") == "../images/heroes/wide.jpg" and not in_picture(img)
    assert not (output / "images" / "variants").exists()
    assert not (output / "images" / "cards").exists()


def test_author_photos_come_at_1x_and_2x(site):
    output = site(files())
    webp, fallback, img = picture(output, "wide/", "//img[@class='author-photo']")
    assert [d for _, d in webp] == ["1x", "2x"] == [d for _, d in fallback]
    assert (img.get("width"), img.get("height")) == ("96", "96")
    with Image.open(local(output, fallback[1][0])) as double:
        assert double.size == (192, 192) and double.format == "PNG"


def test_card_text_wraps_inside_the_safe_area():
    face = serif("Bold", 84)
    long_word = "Supercalifragilisticexpialidocious" * 3
    lines = wrap(f"A headline with {long_word} in it", face.getlength, 1040)
    assert all(face.getlength(line) <= 1040 for line in lines) and len(lines) > 2
    headline = "word " * 200
    chosen, lines = fit_headline(headline, lambda size: serif("Bold", size), 1040, 320)
    assert len(lines) * chosen.size * 1.16 <= 320 and lines[-1].endswith("…")
    css = ":root { --bg: #000000; --accent: #00ff00; }\n@media (prefers-color-scheme: dark) {}"
    palette = theme_palette(css)
    assert (palette.bg, palette.accent, palette.fg) == ("#000000", "#00ff00", "#1d1c1a")


@pytest.mark.browser
@pytest.mark.parametrize(("viewport", "hero_width"), [(375, 400), (1280, 800)])
def test_browsers_load_a_webp_variant_that_fits_the_screen(
    browser, demo_server, viewport, hero_width
):
    context = browser.new_context(viewport={"width": viewport, "height": 900})
    tab = context.new_page()
    problems = []
    tab.on("response", lambda r: r.status >= 400 and problems.append(f"{r.status}: {r.url}"))
    try:
        for path in ("/", "/cash-flow-is-a-calendar/"):
            tab.goto(demo_server + path, wait_until="load")
            tab.evaluate("document.querySelectorAll('img').forEach(i => i.loading = 'eager')")
            tab.wait_for_function("[...document.images].every(i => i.complete)")
            images = tab.evaluate(
                "[...document.querySelectorAll('picture img')].map(i => "
                "({src: i.currentSrc, natural: i.naturalWidth, cls: i.className}))"
            )
            assert images, path
            for image in images:
                assert image["natural"] > 0, image
                assert "/images/variants/" in image["src"] and image["src"].endswith(".webp"), image
        hero = [i for i in images if i["cls"] == ""][0]
        assert hero["src"].endswith(f"-{hero_width}.webp")
        # the <picture> takes no box of its own: the photo keeps its 96 px in the bio's row
        box = "i => { const r = i.getBoundingClientRect(); return [r.width, r.height]; }"
        assert tab.eval_on_selector("img.author-photo", box) == [96, 96]
    finally:
        context.close()
    assert not problems


def test_an_image_pillow_cannot_read_is_shown_as_it_is_with_a_warning(site, warnings_log):
    broken = {
        "images/heroes/broken.jpg": b"not a picture",
        "broken.md": post("broken", "images/heroes/broken.jpg"),
    }
    output = site(files(**broken))
    img = page(output, "broken/").xpath(HERO)[0]
    assert img.get("src") == "../images/heroes/broken.jpg" and not in_picture(img)
    assert any(
        m.startswith("images/heroes/broken.jpg: Pillow cannot read this image")
        for m in warnings_log()
    )


def test_a_replaced_hero_gets_new_variants_and_the_email_copy_follows(tmp_path):
    content = write_site(tmp_path, files())
    output = build(tmp_path / "output", content=content)
    first = page(output, "wide/").xpath(HERO)[0].get("src")
    (content / "images/heroes/wide.jpg").write_bytes(photo(1600, 900, quality=60))
    build(tmp_path / "output", content=content)
    second = page(output, "wide/").xpath(HERO)[0].get("src")
    assert second != first  # a new address: browsers and social sites fetch it afresh
    email = (output / "images/email/heroes/wide.jpg").read_bytes()
    assert email == local(output, second).read_bytes()  # same address, new picture
