"""About 200 states for the synthetic knowledge graph: ISO 3166 alpha-3, English and French names,
and a region (used to make treaties cluster the way real ones do)."""

_DATA = """
AFG|Afghanistan|Afghanistan|asia
ALB|Albania|Albanie|europe
DZA|Algeria|Algérie|mena
AND|Andorra|Andorre|europe
AGO|Angola|Angola|africa
ATG|Antigua and Barbuda|Antigua-et-Barbuda|americas
ARG|Argentina|Argentine|americas
ARM|Armenia|Arménie|eurasia
AUS|Australia|Australie|pacific
AUT|Austria|Autriche|europe
AZE|Azerbaijan|Azerbaïdjan|eurasia
BHS|Bahamas|Bahamas|americas
BHR|Bahrain|Bahreïn|mena
BGD|Bangladesh|Bangladesh|asia
BRB|Barbados|Barbade|americas
BLR|Belarus|Biélorussie|eurasia
BEL|Belgium|Belgique|europe
BLZ|Belize|Belize|americas
BEN|Benin|Bénin|africa
BTN|Bhutan|Bhoutan|asia
BOL|Bolivia|Bolivie|americas
BIH|Bosnia and Herzegovina|Bosnie-Herzégovine|europe
BWA|Botswana|Botswana|africa
BRA|Brazil|Brésil|americas
BRN|Brunei|Brunei|asia
BGR|Bulgaria|Bulgarie|europe
BFA|Burkina Faso|Burkina Faso|africa
BDI|Burundi|Burundi|africa
CPV|Cabo Verde|Cap-Vert|africa
KHM|Cambodia|Cambodge|asia
CMR|Cameroon|Cameroun|africa
CAN|Canada|Canada|americas
CAF|Central African Republic|République centrafricaine|africa
TCD|Chad|Tchad|africa
CHL|Chile|Chili|americas
CHN|China|Chine|asia
COL|Colombia|Colombie|americas
COM|Comoros|Comores|africa
COG|Congo|Congo|africa
COD|Democratic Republic of the Congo|République démocratique du Congo|africa
CRI|Costa Rica|Costa Rica|americas
CIV|Côte d'Ivoire|Côte d'Ivoire|africa
HRV|Croatia|Croatie|europe
CUB|Cuba|Cuba|americas
CYP|Cyprus|Chypre|europe
CZE|Czechia|Tchéquie|europe
DNK|Denmark|Danemark|europe
DJI|Djibouti|Djibouti|africa
DMA|Dominica|Dominique|americas
DOM|Dominican Republic|République dominicaine|americas
ECU|Ecuador|Équateur|americas
EGY|Egypt|Égypte|mena
SLV|El Salvador|Salvador|americas
GNQ|Equatorial Guinea|Guinée équatoriale|africa
ERI|Eritrea|Érythrée|africa
EST|Estonia|Estonie|europe
SWZ|Eswatini|Eswatini|africa
ETH|Ethiopia|Éthiopie|africa
FJI|Fiji|Fidji|pacific
FIN|Finland|Finlande|europe
FRA|France|France|europe
GAB|Gabon|Gabon|africa
GMB|Gambia|Gambie|africa
GEO|Georgia|Géorgie|eurasia
DEU|Germany|Allemagne|europe
GHA|Ghana|Ghana|africa
GRC|Greece|Grèce|europe
GRD|Grenada|Grenade|americas
GTM|Guatemala|Guatemala|americas
GIN|Guinea|Guinée|africa
GNB|Guinea-Bissau|Guinée-Bissau|africa
GUY|Guyana|Guyana|americas
HTI|Haiti|Haïti|americas
HND|Honduras|Honduras|americas
HUN|Hungary|Hongrie|europe
ISL|Iceland|Islande|europe
IND|India|Inde|asia
IDN|Indonesia|Indonésie|asia
IRN|Iran|Iran|mena
IRQ|Iraq|Irak|mena
IRL|Ireland|Irlande|europe
ISR|Israel|Israël|mena
ITA|Italy|Italie|europe
JAM|Jamaica|Jamaïque|americas
JPN|Japan|Japon|asia
JOR|Jordan|Jordanie|mena
KAZ|Kazakhstan|Kazakhstan|eurasia
KEN|Kenya|Kenya|africa
KIR|Kiribati|Kiribati|pacific
PRK|North Korea|Corée du Nord|asia
KOR|South Korea|Corée du Sud|asia
KWT|Kuwait|Koweït|mena
KGZ|Kyrgyzstan|Kirghizistan|eurasia
LAO|Laos|Laos|asia
LVA|Latvia|Lettonie|europe
LBN|Lebanon|Liban|mena
LSO|Lesotho|Lesotho|africa
LBR|Liberia|Liberia|africa
LBY|Libya|Libye|mena
LIE|Liechtenstein|Liechtenstein|europe
LTU|Lithuania|Lituanie|europe
LUX|Luxembourg|Luxembourg|europe
MDG|Madagascar|Madagascar|africa
MWI|Malawi|Malawi|africa
MYS|Malaysia|Malaisie|asia
MDV|Maldives|Maldives|asia
MLI|Mali|Mali|africa
MLT|Malta|Malte|europe
MHL|Marshall Islands|Îles Marshall|pacific
MRT|Mauritania|Mauritanie|africa
MUS|Mauritius|Maurice|africa
MEX|Mexico|Mexique|americas
FSM|Micronesia|Micronésie|pacific
MDA|Moldova|Moldavie|eurasia
MCO|Monaco|Monaco|europe
MNG|Mongolia|Mongolie|asia
MNE|Montenegro|Monténégro|europe
MAR|Morocco|Maroc|mena
MOZ|Mozambique|Mozambique|africa
MMR|Myanmar|Birmanie|asia
NAM|Namibia|Namibie|africa
NRU|Nauru|Nauru|pacific
NPL|Nepal|Népal|asia
NLD|Netherlands|Pays-Bas|europe
NZL|New Zealand|Nouvelle-Zélande|pacific
NIC|Nicaragua|Nicaragua|americas
NER|Niger|Niger|africa
NGA|Nigeria|Nigeria|africa
MKD|North Macedonia|Macédoine du Nord|europe
NOR|Norway|Norvège|europe
OMN|Oman|Oman|mena
PAK|Pakistan|Pakistan|asia
PLW|Palau|Palaos|pacific
PSE|Palestine|Palestine|mena
PAN|Panama|Panama|americas
PNG|Papua New Guinea|Papouasie-Nouvelle-Guinée|pacific
PRY|Paraguay|Paraguay|americas
PER|Peru|Pérou|americas
PHL|Philippines|Philippines|asia
POL|Poland|Pologne|europe
PRT|Portugal|Portugal|europe
QAT|Qatar|Qatar|mena
ROU|Romania|Roumanie|europe
RUS|Russia|Russie|eurasia
RWA|Rwanda|Rwanda|africa
KNA|Saint Kitts and Nevis|Saint-Christophe-et-Niévès|americas
LCA|Saint Lucia|Sainte-Lucie|americas
VCT|Saint Vincent and the Grenadines|Saint-Vincent-et-les-Grenadines|americas
WSM|Samoa|Samoa|pacific
SMR|San Marino|Saint-Marin|europe
STP|São Tomé and Príncipe|Sao Tomé-et-Principe|africa
SAU|Saudi Arabia|Arabie saoudite|mena
SEN|Senegal|Sénégal|africa
SRB|Serbia|Serbie|europe
SYC|Seychelles|Seychelles|africa
SLE|Sierra Leone|Sierra Leone|africa
SGP|Singapore|Singapour|asia
SVK|Slovakia|Slovaquie|europe
SVN|Slovenia|Slovénie|europe
SLB|Solomon Islands|Îles Salomon|pacific
SOM|Somalia|Somalie|africa
ZAF|South Africa|Afrique du Sud|africa
SSD|South Sudan|Soudan du Sud|africa
ESP|Spain|Espagne|europe
LKA|Sri Lanka|Sri Lanka|asia
SDN|Sudan|Soudan|africa
SUR|Suriname|Suriname|americas
SWE|Sweden|Suède|europe
CHE|Switzerland|Suisse|europe
SYR|Syria|Syrie|mena
TWN|Taiwan|Taïwan|asia
TJK|Tajikistan|Tadjikistan|eurasia
TZA|Tanzania|Tanzanie|africa
THA|Thailand|Thaïlande|asia
TLS|Timor-Leste|Timor oriental|asia
TGO|Togo|Togo|africa
TON|Tonga|Tonga|pacific
TTO|Trinidad and Tobago|Trinité-et-Tobago|americas
TUN|Tunisia|Tunisie|mena
TUR|Türkiye|Turquie|eurasia
TKM|Turkmenistan|Turkménistan|eurasia
TUV|Tuvalu|Tuvalu|pacific
UGA|Uganda|Ouganda|africa
UKR|Ukraine|Ukraine|eurasia
ARE|United Arab Emirates|Émirats arabes unis|mena
GBR|United Kingdom|Royaume-Uni|europe
USA|United States|États-Unis|americas
URY|Uruguay|Uruguay|americas
UZB|Uzbekistan|Ouzbékistan|eurasia
VUT|Vanuatu|Vanuatu|pacific
VAT|Holy See|Saint-Siège|europe
VEN|Venezuela|Venezuela|americas
VNM|Viet Nam|Viêt Nam|asia
YEM|Yemen|Yémen|mena
ZMB|Zambia|Zambie|africa
ZWE|Zimbabwe|Zimbabwe|africa
SUN|Soviet Union|Union soviétique|eurasia
YUG|Yugoslavia|Yougoslavie|europe
DDR|German Democratic Republic|République démocratique allemande|europe
CSK|Czechoslovakia|Tchécoslovaquie|europe
XKX|Kosovo|Kosovo|europe
"""

#: (alpha-3, English name, French name, region), in a fixed order.
STATES: list[tuple[str, str, str, str]] = [
    tuple(line.split("|"))
    for line in _DATA.strip().splitlines()  # type: ignore[misc]
]
