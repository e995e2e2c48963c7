"""People: Spanish names, e-mails derived from them, Mexican phones (customers and leads).

Names carry accents (``"Núñez"``), e-mail addresses do not
(``"nunez"``), and phones are ten digits whose two-digit lead depends on the
person's region. E-mails and phones are unique across everyone drawn in one
call, so the clean tables can be trusted as keys in identity resolution; the
raw export (:mod:`~relmark_lab.datasets.synthetic.raw_export`) then writes
the same people sloppily.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from relmark_lab.datasets.synthetic._common import _REGIONS, _fold_accents, _pick

_FEMALE_NAMES = (
    "María", "Guadalupe", "Ana", "Sofía", "Valeria", "Fernanda", "Lucía", "Ximena",
    "Camila", "Daniela", "Mariana", "Andrea", "Verónica", "Leticia", "Rocío", "Mónica",
    "Araceli", "Inés", "Itzel", "Renata", "Paulina", "Beatriz", "Noemí", "María José",
)
_MALE_NAMES = (
    "José", "Juan", "Luis", "Carlos", "Jorge", "Miguel", "Jesús", "Alejandro",
    "Fernando", "Ricardo", "Andrés", "Sebastián", "Martín", "Raúl", "Óscar", "Iván",
    "Joaquín", "Rubén", "Héctor", "Ramón", "Emilio", "Tomás", "Julián", "José Luis",
)
_LAST_NAMES = (
    "Hernández", "García", "Martínez", "López", "González", "Pérez", "Rodríguez",
    "Sánchez", "Ramírez", "Cruz", "Flores", "Gómez", "Morales", "Vázquez", "Jiménez",
    "Reyes", "Díaz", "Torres", "Gutiérrez", "Ruiz", "Mendoza", "Aguilar", "Ortiz",
    "Castillo", "Moreno", "Romero", "Álvarez", "Méndez", "Chávez", "Rivera", "Juárez",
    "Domínguez", "Herrera", "Medina", "Castro", "Vargas", "Guzmán", "Velázquez",
    "Muñoz", "Núñez", "Peña", "Ibáñez", "Ávila", "Salazar", "Cortés", "Ríos", "Luna",
    "Ordóñez", "Zúñiga",
)
_EMAIL_DOMAINS = {
    "gmail.com": 0.45, "hotmail.com": 0.25, "outlook.com": 0.12,
    "yahoo.com.mx": 0.10, "prodigy.net.mx": 0.05, "icloud.com": 0.03,
}


def _draw_people(rng: np.random.Generator, regions: np.ndarray) -> pd.DataFrame:
    """Spanish names with accents, e-mails derived from them, Mexican phones.

    E-mails and phones are unique across everyone drawn in one call, so a
    lesson on identity resolution can trust them as keys of the clean data.
    """
    n = len(regions)
    female = rng.random(n) < 0.5
    first = np.where(female, rng.choice(_FEMALE_NAMES, n), rng.choice(_MALE_NAMES, n))
    last1 = rng.choice(_LAST_NAMES, n)
    last2 = rng.choice(_LAST_NAMES, n)
    names = [f"{f} {a} {b}" for f, a, b in zip(first, last1, last2, strict=True)]

    def slug(text: str) -> str:
        return _fold_accents(text).lower().replace(" ", "")

    pattern = rng.integers(0, 4, n)
    year = rng.integers(60, 106, n) % 100  # birth-year-like suffixes, 60..99 and 00..05
    with_year = rng.random(n) < 0.5
    local = []
    for i in range(n):
        f, a, b = slug(first[i]), slug(last1[i]), slug(last2[i])
        stem = (f"{f}.{a}", f"{f}_{a}", f"{f[0]}{a}{b[0]}", f"{f}.{a}.{b}")[pattern[i]]
        local.append(stem + (f"{year[i]:02d}" if with_year[i] else ""))
    domains = _pick(rng, _EMAIL_DOMAINS, n)
    emails = pd.Series([f"{u}@{d}" for u, d in zip(local, domains, strict=True)])
    while (clash := emails.duplicated()).any():  # add a digit before "@" until unique
        digit = rng.integers(0, 10, int(clash.sum()))
        emails[clash] = [
            e.replace("@", f"{d}@", 1) for e, d in zip(emails[clash], digit, strict=True)
        ]
    phones = _draw_phones(rng, regions)
    return pd.DataFrame({"name": names, "email": emails.to_numpy(), "phone": phones})


def _draw_phones(rng: np.random.Generator, regions: np.ndarray) -> np.ndarray:
    """Unique 10-digit numbers written ``"55 1234 5678"``, area by region."""
    n = len(regions)
    lead = np.array([rng.choice(_REGIONS[r][1]) for r in regions], dtype=object)
    rest = rng.integers(10**7, 10**8, n)
    while True:
        number = pd.Series(lead + pd.Series(rest).astype(str).to_numpy())
        clash = number.duplicated().to_numpy()
        if not clash.any():
            break
        rest[clash] = rng.integers(10**7, 10**8, int(clash.sum()))
    return np.array([f"{x[:2]} {x[2:6]} {x[6:]}" for x in number], dtype=object)

