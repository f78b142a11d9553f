"""The body chart drawing: where each catalogue muscle sits on the anterior and posterior figure.

This is a schematic drawing, not anatomy: each muscle gets a region a clinician can click or
tab to, placed where they would look for it. Deep muscles are drawn as smaller regions over the
superficial ones. Coordinates are for the patient's LEFT side in a 200 x 440 box; the right side
is the mirror image. On the posterior figure the patient's left is on the viewer's left; on the
anterior figure it is on the viewer's right.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, cached_property
from html import escape
from typing import Literal

from needlerx.clinical.reference import muscle_catalogue

View = Literal["anterior", "posterior"]
VIEWS: tuple[View, ...] = ("anterior", "posterior")
WIDTH = 200
HEIGHT = 440
NECK_DETAIL_VIEWBOX = "72 40 56 46"

# Each value: ("polygon", "x,y x,y ...") or ("ellipse", "cx cy rx ry"), drawn in this order.
# A grouped erector spinae entry covers the two named muscles split from it (iliocostalis
# lateral, longissimus medial); the chart draws it only for a record that already uses it.
SHAPES: dict[View, dict[str, tuple[str, str]]] = {
    "posterior": {
        "upper_trapezius": ("polygon", "99,72 92,64 80,80 58,86 62,93 99,90"),
        "middle_trapezius": ("polygon", "99,90 62,93 68,101 99,104"),
        "lower_trapezius": ("polygon", "99,104 80,104 93,158 99,160"),
        "latissimus_dorsi": ("polygon", "60,140 80,148 85,198 62,200 56,168"),
        "levator_scapulae": ("polygon", "82,60 78,60 70,84 75,86"),
        "supraspinatus": ("ellipse", "72 96.5 9 3.2"),
        "infraspinatus": ("polygon", "62,103 80,103 82,110 74,136 63,127"),
        "teres_minor": ("ellipse", "60.5 118 2.6 5"),
        "teres_major": ("polygon", "58,128 66,131 68,142 56,137"),
        "serratus_posterior_superior": ("polygon", "92,92 86,92 84,101 92,101"),
        "rhomboid_minor": ("polygon", "97,104 88,104 88,110 97,110"),
        "rhomboid_major": ("polygon", "97,112 88,112 84,130 97,132"),
        "thoracic_iliocostalis": ("polygon", "89.5,134 86,134 86,170 89.5,170"),
        "thoracic_longissimus": ("polygon", "93,134 89.5,134 89.5,170 93,170"),
        "thoracic_erector_spinae": ("polygon", "93,134 86,134 86,170 93,170"),
        "thoracic_multifidus": ("polygon", "99.5,134 94.5,134 94.5,190 99.5,190"),
        "serratus_posterior_inferior": ("polygon", "85,174 70,172 69,190 85,192"),
        "upper_lumbar_iliocostalis": ("polygon", "89.5,176 86,176 86,194 89.5,194"),
        "upper_lumbar_longissimus": ("polygon", "93,176 89.5,176 89.5,194 93,194"),
        "upper_lumbar_erector_spinae": ("polygon", "93,176 86,176 86,194 93,194"),
        "lumbar_iliocostalis": ("polygon", "89,196 85,196 85,240 89,240"),
        "lumbar_longissimus": ("polygon", "93,196 89,196 89,240 93,240"),
        "lumbar_erector_spinae": ("polygon", "93,196 85,196 85,240 93,240"),
        "lumbar_multifidus": ("polygon", "99.5,196 94.5,196 94.5,242 99.5,242"),
        "quadratus_lumborum": ("polygon", "83,204 70,200 68,230 83,236"),
        "gluteus_medius": ("polygon", "96,246 64,240 58,262 90,262"),
        "gluteus_minimus": ("ellipse", "70 252 7 4"),
        "gluteus_maximus": ("polygon", "98,264 60,264 64,300 98,304"),
        "piriformis": ("polygon", "96,270 70,274 71,281 96,277"),
        "splenius_capitis": ("polygon", "89.5,56 83,56 82,66 89.5,66"),
        "splenius_cervicis": ("polygon", "89.5,67 82,67 81,78 89.5,78"),
        "semispinalis_capitis": ("polygon", "95,56 90.5,56 90.5,67 95,67"),
        "semispinalis_cervicis": ("polygon", "95,68 90.5,68 90.5,79 95,79"),
        "cervical_multifidus": ("polygon", "99.5,56 96,56 96,80 99.5,80"),
        "rectus_capitis_posterior_major": ("ellipse", "95.5 49.5 3.8 2.8"),
        "obliquus_capitis_inferior": ("ellipse", "87 52 4.6 2.4"),
    },
    "anterior": {
        "sternocleidomastoid": ("polygon", "109,52 114,54 106,84 101,84"),
        "anterior_scalene": ("polygon", "111,63 115,62 118,80 114,81"),
        "middle_scalene": ("polygon", "115.5,60 119,60 122,79 118.5,80"),
        "posterior_scalene": ("polygon", "119.5,63 122.5,63 126,79 122.5,79"),
        "pectoralis_major": ("polygon", "102,92 138,90 146,104 128,124 102,120"),
        "pectoralis_minor": ("polygon", "118,100 136,95 140,101 122,118"),
        "serratus_anterior": ("polygon", "140,112 148,110 150,142 141,144"),
        "intercostals": ("polygon", "126,128 138,127 138,150 126,151"),
        "psoas_major": ("polygon", "104,190 113,190 122,250 112,253"),
    },
}

# The drawing of the body itself (not selectable): outline of the viewer's left half.
OUTLINE_HALF = (
    "100,56 89,58 87,74 62,84 44,94 36,150 30,212 26,246 36,248 42,214 48,152 52,122 60,190 "
    "52,232 56,330 60,420 58,432 90,432 92,420 96,330 100,258"
)


@dataclass(frozen=True)
class Region:
    muscle: str
    side: str
    view: View
    shape: str
    geometry: str  # polygon points, or "cx cy rx ry"
    name: str

    @cached_property
    def svg_geometry(self) -> str:
        """The shape's geometry as SVG attributes, escaped (the same for every chart)."""
        if self.shape == "ellipse":
            cx, cy, rx, ry = (escape(value) for value in self.geometry.split())
            return f'cx="{cx}" cy="{cy}" rx="{rx}" ry="{ry}"'
        return f'points="{escape(self.geometry)}"'


def _mirror_points(points: str) -> str:
    mirrored = []
    for pair in points.split():
        x, y = pair.split(",")
        mirrored.append(f"{WIDTH - float(x):g},{y}")
    return " ".join(mirrored)


def _mirror(shape: str, geometry: str) -> str:
    if shape == "polygon":
        return _mirror_points(geometry)
    cx, cy, rx, ry = geometry.split()
    return f"{WIDTH - float(cx):g} {cy} {rx} {ry}"


@cache
def outline_path() -> str:
    """The whole body outline (both halves) as one closed polygon."""
    half = OUTLINE_HALF.split()
    other = [_mirror_points(pair) for pair in reversed(half)]
    return " ".join(half + other)


@cache
def regions(view: View) -> tuple[Region, ...]:
    """Every selectable region of a figure, left and right, in drawing order (made once: the
    drawing and the catalogue's names do not change while the app runs)."""
    catalogue = muscle_catalogue()
    made: list[Region] = []
    for muscle_id, (shape, geometry) in SHAPES[view].items():
        name = catalogue[muscle_id].name
        made.append(Region(muscle_id, "left", view, shape, geometry, name))
        made.append(Region(muscle_id, "right", view, shape, _mirror(shape, geometry), name))
    return tuple(made)


def view_of(muscle_id: str) -> View:
    for view in VIEWS:
        if muscle_id in SHAPES[view]:
            return view
    raise KeyError(muscle_id)


def muscles_without_region(catalogue: Mapping[str, object] | None = None) -> list[str]:
    """Catalogue muscles that the drawing does not place (a test keeps this empty)."""
    drawn = {muscle for shapes in SHAPES.values() for muscle in shapes}
    return sorted(set(catalogue or muscle_catalogue()) - drawn)
