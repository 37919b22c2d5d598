"""The claim status category codes (X12 element 507, ``STC01-1``) and claim status codes
(element 508, ``STC01-2``) of the 276/277 and 277CA, as data.

Built from the code lists of pyx12's ``map/codes.xml`` (codes only; BSD licence; the public
fixtures' ``codesets/claim_status``), as Python literals: nothing is read at run time. The
category meanings follow the families of the lists (A acknowledgement, P pending, F
finalized, R request for more information, E response not possible, D data search
unsuccessful); the status codes' wording is not in the lists and is not shipped.

>>> "F2" in CLAIM_STATUS_CATEGORIES, "562" in CLAIM_STATUS_CODES
(True, True)
>>> category_family("F3N")
'finalized'
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

__all__ = [
    "CLAIM_STATUS_CATEGORIES",
    "CLAIM_STATUS_CATEGORY_MEANINGS",
    "CLAIM_STATUS_CODES",
    "category_family",
]

CLAIM_STATUS_CATEGORIES: Final[frozenset[str]] = frozenset({
    "A0", "A1", "A2", "A3", "A4", "A5", "A6", "A7", "A8", "D0", "E0", "E1", "E2", "E3",
    "E4", "F0", "F1", "F2", "F3", "F3F", "F3N", "F4", "F5", "P0", "P1", "P2", "P3", "P4",
    "P5", "R0", "R1", "R3", "R4", "R5", "R6", "R7", "R8", "R9", "R10", "R11", "R12", "R13",
    "R14", "R15", "R16", "R17", "RQ", "X0",
})
"""The 48 claim status category codes of 5010 (element 507)."""

CLAIM_STATUS_CODES: Final[frozenset[str]] = frozenset({
    "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15",
    "16", "17", "18", "19", "20", "21", "22", "23", "24", "25", "26", "27", "28", "29",
    "30", "31", "32", "33", "34", "35", "37", "38", "39", "40", "41", "42", "44", "45",
    "46", "47", "48", "49", "50", "51", "52", "53", "54", "55", "56", "57", "59", "60",
    "61", "64", "65", "66", "67", "68", "69", "70", "71", "72", "73", "78", "81", "83",
    "84", "85", "86", "87", "88", "89", "90", "91", "92", "93", "94", "95", "96", "97",
    "98", "99", "100", "101", "102", "103", "104", "105", "106", "107", "108", "109", "110",
    "111", "112", "113", "114", "115", "116", "117", "118", "119", "120", "121", "122",
    "123", "124", "125", "126", "127", "128", "129", "130", "131", "132", "133", "134",
    "135", "136", "137", "138", "139", "140", "141", "142", "143", "144", "145", "146",
    "147", "148", "149", "150", "152", "153", "154", "155", "156", "157", "158", "159",
    "160", "161", "162", "163", "164", "165", "166", "167", "168", "169", "170", "171",
    "172", "173", "174", "175", "176", "177", "178", "179", "180", "181", "182", "183",
    "184", "185", "186", "187", "188", "189", "190", "191", "192", "193", "194", "195",
    "196", "197", "198", "199", "200", "201", "202", "203", "204", "205", "206", "207",
    "208", "209", "210", "211", "212", "213", "214", "215", "216", "217", "218", "219",
    "220", "221", "222", "223", "224", "225", "226", "227", "228", "229", "230", "231",
    "232", "233", "234", "235", "236", "237", "238", "239", "240", "241", "242", "243",
    "244", "245", "246", "247", "248", "249", "250", "251", "252", "253", "254", "255",
    "256", "257", "258", "259", "260", "261", "262", "263", "264", "265", "266", "267",
    "268", "269", "270", "271", "272", "273", "274", "275", "276", "277", "278", "279",
    "280", "281", "282", "283", "284", "285", "286", "287", "288", "289", "290", "291",
    "292", "293", "294", "295", "296", "297", "298", "299", "300", "301", "302", "303",
    "304", "305", "306", "307", "308", "309", "310", "311", "312", "313", "314", "315",
    "316", "317", "318", "319", "320", "321", "322", "323", "324", "325", "326", "327",
    "328", "329", "330", "331", "332", "333", "334", "335", "336", "337", "338", "339",
    "340", "341", "342", "343", "344", "345", "346", "347", "348", "349", "350", "351",
    "352", "353", "354", "355", "356", "357", "358", "359", "360", "361", "362", "363",
    "364", "365", "366", "367", "368", "369", "370", "371", "372", "373", "374", "375",
    "376", "377", "378", "379", "380", "381", "382", "383", "384", "385", "386", "387",
    "388", "389", "390", "391", "392", "393", "394", "395", "396", "397", "398", "399",
    "400", "401", "402", "403", "404", "405", "406", "407", "408", "409", "410", "411",
    "412", "413", "414", "415", "416", "417", "418", "419", "420", "421", "422", "423",
    "424", "425", "426", "427", "428", "429", "430", "431", "432", "433", "434", "435",
    "436", "437", "438", "439", "440", "441", "442", "443", "444", "445", "446", "447",
    "448", "449", "450", "451", "452", "453", "454", "455", "456", "457", "458", "459",
    "460", "461", "462", "463", "464", "465", "466", "467", "468", "469", "470", "471",
    "472", "473", "474", "475", "476", "477", "478", "479", "480", "481", "482", "483",
    "484", "485", "486", "487", "488", "489", "490", "491", "492", "493", "494", "495",
    "496", "497", "498", "499", "500", "501", "502", "503", "504", "505", "506", "507",
    "508", "509", "510", "511", "512", "513", "514", "515", "516", "517", "518", "519",
    "520", "521", "522", "523", "524", "525", "526", "527", "528", "529", "530", "531",
    "532", "533", "534", "535", "536", "537", "538", "539", "540", "541", "542", "543",
    "544", "545", "546", "547", "548", "549", "550", "551", "552", "553", "554", "555",
    "556", "557", "558", "559", "560", "561", "562", "563", "564", "565", "566", "567",
    "568", "569", "570", "571", "572", "573", "574", "575", "576", "577", "578", "579",
    "580", "581", "582", "583", "584", "585", "586", "587", "588", "589", "590", "591",
    "592", "593", "594", "595", "596", "597", "598", "599", "600", "601", "602", "603",
    "604", "605", "606", "607", "608", "609", "610", "611", "612", "613", "614", "615",
    "616", "617", "618", "619", "620", "621", "622", "623", "624", "625", "626", "627",
    "628", "629", "630", "631", "632", "633", "634", "635", "636", "637", "638", "639",
    "640", "641", "642", "643", "644", "645", "646", "647", "648", "649", "650", "651",
    "652", "653", "654", "655", "656", "657", "658", "659", "660", "661", "662", "663",
    "664", "665", "666", "667", "668", "669", "670", "671", "672", "673", "674", "675",
    "676", "677", "678", "679", "680", "681", "682", "683", "684", "685", "686", "687",
    "688", "689", "690", "691", "692", "693", "694", "695", "696", "697", "698", "699",
    "700", "701", "702", "703", "704", "705", "706", "707", "708", "709", "710", "711",
    "712", "713", "714", "715", "716", "717", "718", "719", "720", "721", "722", "723",
    "724", "725", "726", "727", "728", "729", "730", "731", "732", "733", "734", "735",
    "736", "737", "738", "739", "740", "741", "742", "743", "744", "745", "746", "747",
    "748", "749", "750", "751", "752", "753", "754", "755", "756", "757", "758", "759",
    "760", "761", "762", "763", "764", "765", "766", "767", "768", "769", "770", "771",
})
"""The 759 claim status codes of 5010 (element 508)."""

CLAIM_STATUS_CATEGORY_MEANINGS: Final[Mapping[str, str]] = MappingProxyType({
    "A0": "acknowledgement: forwarded to another entity",
    "A1": "acknowledgement: receipt (not yet accepted)",
    "A2": "acknowledgement: accepted into the adjudication system",
    "A3": "acknowledgement: returned as unprocessable",
    "A4": "acknowledgement: not found",
    "A5": "acknowledgement: split claim",
    "A6": "acknowledgement: rejected for missing information",
    "A7": "acknowledgement: rejected for invalid information",
    "A8": "acknowledgement: rejected for relational field in error",
    "P0": "pending: adjudication or processing",
    "P1": "pending: in process",
    "P2": "pending: payer review",
    "P3": "pending: information requested from the provider",
    "P4": "pending: information requested from the patient",
    "P5": "pending: payer administrative or system hold",
    "F0": "finalized: the claim or line has completed the adjudication cycle",
    "F1": "finalized: payment",
    "F2": "finalized: denial",
    "F3": "finalized: revised",
    "F3F": "finalized: forwarded",
    "F3N": "finalized: not forwarded",
    "F4": "finalized: adjudication complete, no payment forthcoming",
    "R0": "additional information requested: general",
    "R1": "additional information requested: entity",
    "R3": "additional information requested: claim or line",
    "R4": "additional information requested: documentation",
    "R5": "additional information requested: more specific detail",
    "E0": "response not possible: error on the request",
    "E1": "response not possible: system status",
    "E2": "response not possible: information holder not responding",
    "E3": "response not possible: relational error",
    "E4": "response not possible: trading partner agreement rule",
    "D0": "data search unsuccessful",
})
"""What the common categories mean (the R6-R16 regulatory and policy categories have their
family only)."""

_FAMILIES: Final[Mapping[str, str]] = MappingProxyType({
    "A": "acknowledgement", "P": "pending", "F": "finalized",
    "R": "request for additional information", "E": "response not possible",
    "D": "data search unsuccessful", "X": "other",
})


def category_family(category: str) -> str | None:
    """The family of a claim status category (``"pending"`` for ``P1``), or ``None`` for a
    code not in the list."""
    if category not in CLAIM_STATUS_CATEGORIES:
        return None
    return _FAMILIES.get(category[:1])
