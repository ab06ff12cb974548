"""What a table on a page would show that a reader should never see: "None" or "nan" for a
missing value, and "8.0" for a whole number."""
from __future__ import annotations

import json

import pandas as pd

# Formats that print a whole number without a decimal part (Streamlit NumberColumn formats).
WHOLE_NUMBER_FORMATS = {"localized", "compact", "%d", "%,d", "%i"}


def _shown_columns(element) -> list[str]:  # noqa: ANN001 - an AppTest element
    frame = element.value
    order = list(element.proto.column_order)
    return [column for column in (order or frame.columns) if column in frame.columns]


def display_offences(at) -> list[str]:  # noqa: ANN001 - an AppTest
    """Every table cell of the page that would read None, nan or a whole number with ".0"."""
    offences = []
    for element in at.dataframe:
        frame = element.value
        if not isinstance(frame, pd.DataFrame):
            continue
        config = json.loads(element.proto.columns or "{}")
        placeholder = element.proto.HasField("placeholder")
        for column in _shown_columns(element):
            values = frame[column]
            label = (config.get(column) or {}).get("label") or column
            if not placeholder and values.isna().any():
                offences.append(f"{label}: {int(values.isna().sum())} missing values shown as None")
            text = values.dropna().astype(str)
            if (values.dtype == object or pd.api.types.is_string_dtype(values)) and text.isin(["None", "nan", "NaN", "<NA>"]).any():
                offences.append(f"{label}: the word None or nan as text")
            if pd.api.types.is_float_dtype(values):
                present = values.dropna()
                number_format = ((config.get(column) or {}).get("type_config") or {}).get("format")
                if len(present) and (present == present.round()).all() and number_format not in WHOLE_NUMBER_FORMATS:
                    offences.append(f"{label}: whole numbers shown as {present.iloc[0]:.1f}")
    return offences
