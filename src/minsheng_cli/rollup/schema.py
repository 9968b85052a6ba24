"""rollup.yaml's schema (pydantic): imported only to read the file, never by a view."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

MemberName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class MemberModel(_Strict):
    name: MemberName
    url: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
    branch: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)] = "main"


class RollupFile(_Strict):
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
    level: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)] = "市"
    members: list[MemberModel] = Field(default_factory=list)
