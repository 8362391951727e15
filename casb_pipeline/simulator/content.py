"""Everyday chat text: prompts, replies, code, configs and tables in five languages.

Nothing here looks like a sensitive value (no emails, phone numbers,
addresses, keys), so everything a scanner reports comes from ``planted``.
"""

from __future__ import annotations

import json
import random

TOPICS = ("engineering", "finance", "hr", "legal", "sales")
LANGUAGES = ("en", "fr", "de", "es", "ja")

_TASKS: dict[str, dict[str, tuple[str, ...]]] = {
    "engineering": {
        "en": (
            "debug the flaky integration test in the payments service",
            "review this Terraform change before I merge it",
            "speed up the nightly ETL job that loads the orders table",
        ),
        "fr": (
            "corriger le déploiement Kubernetes qui échoue en préproduction",
            "écrire des tests unitaires pour le module de facturation",
            "comprendre pourquoi la requête SQL est si lente",
        ),
        "de": (
            "den fehlerhaften CI-Build für das Release reparieren",
            "die Logging-Konfiguration für den Dienst überarbeiten",
            "eine Migration für die neue Spalte schreiben",
        ),
        "es": (
            "revisar el pipeline de datos que falla cada noche",
            "optimizar la consulta del panel de métricas",
            "documentar la API interna de inventario",
        ),
        "ja": (
            "決済サービスの不安定なテストを直す",
            "このTerraformの変更をレビューする",
            "夜間バッチの処理時間を短くする",
        ),
    },
    "finance": {
        "en": (
            "reconcile the Q3 vendor invoices against the ledger",
            "build a cash-flow forecast for the next two quarters",
            "explain the variance in the marketing budget",
        ),
        "fr": (
            "préparer la clôture mensuelle des comptes fournisseurs",
            "analyser les écarts du budget de l'équipe commerciale",
            "rédiger une note sur la TVA intracommunautaire",
        ),
        "de": (
            "die Quartalszahlen für den Vorstand zusammenfassen",
            "Lieferantenrechnungen mit dem Hauptbuch abgleichen",
            "eine Liquiditätsplanung für das nächste Jahr erstellen",
        ),
        "es": (
            "conciliar los pagos a proveedores del trimestre",
            "preparar el informe de gastos para la auditoría",
            "calcular el margen bruto por línea de producto",
        ),
        "ja": (
            "第3四半期の請求書と元帳を照合する",
            "来期のキャッシュフロー予測を作る",
            "マーケティング予算の差異を説明する",
        ),
    },
    "hr": {
        "en": (
            "draft an offer letter for the senior data engineer role",
            "summarise the results of the engagement survey",
            "update the onboarding checklist for new hires",
        ),
        "fr": (
            "rédiger une offre d'emploi pour un poste de comptable",
            "préparer l'entretien annuel d'évaluation",
            "mettre à jour la politique de télétravail",
        ),
        "de": (
            "ein Arbeitszeugnis für eine ausscheidende Mitarbeiterin schreiben",
            "den Onboarding-Plan für neue Kolleginnen und Kollegen anpassen",
            "die Ergebnisse der Mitarbeiterbefragung zusammenfassen",
        ),
        "es": (
            "redactar la carta de oferta para el nuevo analista",
            "preparar la evaluación de desempeño del equipo",
            "actualizar la guía de incorporación",
        ),
        "ja": (
            "データエンジニア職の内定通知書を作成する",
            "従業員満足度調査の結果をまとめる",
            "新入社員向けのオンボーディング資料を更新する",
        ),
    },
    "legal": {
        "en": (
            "flag the indemnity changes in this vendor contract",
            "compare the governing-law clauses of both drafts",
            "summarise the data processing addendum",
        ),
        "fr": (
            "relire les clauses de confidentialité du contrat",
            "résumer les obligations RGPD du sous-traitant",
            "comparer les deux versions de l'accord de licence",
        ),
        "de": (
            "die Haftungsklauseln im Rahmenvertrag prüfen",
            "die Auftragsverarbeitungsvereinbarung zusammenfassen",
            "die Kündigungsfristen beider Entwürfe vergleichen",
        ),
        "es": (
            "revisar las cláusulas de indemnización del contrato",
            "resumir el acuerdo de tratamiento de datos",
            "comparar la ley aplicable en ambos borradores",
        ),
        "ja": (
            "業務委託契約の損害賠償条項を確認する",
            "データ処理契約の要点をまとめる",
            "二つの契約書案の準拠法条項を比較する",
        ),
    },
    "sales": {
        "en": (
            "write a follow-up email after the product demo",
            "prepare the pipeline review for Monday",
            "draft a proposal for the enterprise renewal",
        ),
        "fr": (
            "préparer la proposition commerciale pour le renouvellement",
            "rédiger un e-mail de relance après la démo",
            "analyser le pipeline du trimestre",
        ),
        "de": (
            "ein Angebot für die Vertragsverlängerung vorbereiten",
            "eine Nachfass-E-Mail nach der Produktdemo schreiben",
            "die Pipeline für das Quartal analysieren",
        ),
        "es": (
            "preparar la propuesta para la renovación anual",
            "escribir un correo de seguimiento tras la demo",
            "analizar las oportunidades del trimestre",
        ),
        "ja": (
            "製品デモ後のフォローアップメールを書く",
            "月曜日のパイプラインレビューを準備する",
            "法人契約更新の提案書を作成する",
        ),
    },
}

_PROMPTS = {
    "en": ("Can you help me {task}?", "I need to {task}. Where do I start?", "Please {task}."),
    "fr": ("Peux-tu m'aider à {task} ?", "J'ai besoin de {task}, merci !", "Aide-moi à {task}."),
    "de": ("Kannst du mir helfen, {task}?", "Ich muss {task}. Wie gehe ich vor?"),
    "es": ("¿Puedes ayudarme a {task}?", "Necesito {task}. ¿Por dónde empiezo?"),
    "ja": ("{task}のを手伝ってもらえますか？", "{task}必要があります。どう進めればいいですか？"),
}
_FOLLOW_UPS = {
    "en": ("Thanks! Can you make it shorter?", "Great, now add a summary table 👍", "Perfect 🙏"),
    "fr": ("Merci ! Tu peux raccourcir ?", "Super, ajoute un tableau récapitulatif 👍"),
    "de": ("Danke! Kannst du es kürzer fassen?", "Super, bitte noch eine Übersichtstabelle ✅"),
    "es": ("¡Gracias! ¿Puedes resumirlo más?", "Genial, añade una tabla resumen 👍"),
    "ja": (
        "ありがとうございます！もう少し短くできますか？",
        "いいですね。要約の表も追加してください ✅",
    ),
}
_OPENERS = {
    "en": ("Sure, here is a plan.", "Good question. Let's go step by step.", "Here is a draft."),
    "fr": ("Bien sûr, voici une proposition.", "Voici une première version."),
    "de": ("Gern, hier ist ein Vorschlag.", "Hier ist ein erster Entwurf."),
    "es": ("Claro, aquí tienes una propuesta.", "Aquí va un primer borrador."),
    "ja": ("もちろんです。以下に案を示します。", "順番に見ていきましょう。"),
}
_PARAGRAPHS = {
    "en": (
        "First, collect the inputs and check that every source covers the same period. "
        "Differences usually come from timing rather than from errors.",
        "Next, agree on the owner of each open item and the date by which it closes. "
        "A short weekly review keeps the list from growing.",
        "Finally, write down the decision and the reasons behind it, so that the next "
        "review starts from facts instead of memory.",
        "Keep the scope small at first: one team, one quarter, one report. Once the "
        "numbers match, widen it step by step.",
    ),
    "fr": (
        "D'abord, rassemble les données et vérifie qu'elles couvrent la même période. "
        "Les écarts viennent souvent du calendrier, pas d'une erreur.",
        "Ensuite, désigne un responsable pour chaque point ouvert et une échéance claire.",
        "Enfin, note la décision et ses raisons : la prochaine revue partira des faits.",
    ),
    "de": (
        "Zuerst sammelst du die Daten und prüfst, ob alle Quellen denselben Zeitraum abdecken. "
        "Abweichungen entstehen meist durch Zeitverschiebungen.",
        "Danach legst du für jeden offenen Punkt eine verantwortliche Person und ein Datum fest.",
        "Zum Schluss hältst du die Entscheidung und ihre Gründe schriftlich fest.",
    ),
    "es": (
        "Primero, reúne los datos y comprueba que todas las fuentes cubren el mismo periodo.",
        "Después, asigna un responsable y una fecha a cada punto abierto.",
        "Por último, documenta la decisión y sus motivos para la próxima revisión.",
    ),
    "ja": (
        "まず、すべてのデータが同じ期間を対象にしているか確認します。差異の多くはタイミングによるものです。",
        "次に、未解決の項目ごとに担当者と期限を決めます。",
        "最後に、決定事項とその理由を記録しておきます。",
    ),
}

_CODE = (
    '''def load_orders(session, since):
    """Return orders changed since the given timestamp."""
    query = session.query(Order).filter(Order.updated_at >= since)
    return [order.to_dict() for order in query.order_by(Order.id)]
''',
    """SELECT region, date_trunc('month', booked_at) AS month, sum(amount) AS revenue
FROM bookings
WHERE booked_at >= DATE '2025-01-01'
GROUP BY 1, 2
ORDER BY 1, 2;
""",
    """export async function fetchInvoices(client, page = 1) {
  const response = await client.get(`/invoices?page=${page}`);
  if (!response.ok) throw new Error(`invoice fetch failed: ${response.status}`);
  return response.json();
}
""",
)

_YAML = """service:
  name: orders-api
  replicas: 3
  resources:
    limits: {cpu: "500m", memory: 512Mi}
database:
  host: orders-db.internal
  port: 5432
  pool_size: 20
feature_flags:
  new_checkout: true
"""

_ENV = """APP_ENV=staging
LOG_LEVEL=info
ORDERS_DB_HOST=orders-db.internal
ORDERS_DB_PORT=5432
CACHE_TTL_SECONDS=300
"""

_TABLE_ROWS = {
    "engineering": (
        ("service", "p95 ms", "errors/day"),
        ("orders-api", "182", "4"),
        ("billing", "240", "11"),
    ),
    "finance": (
        ("cost centre", "budget €", "actual €"),
        ("Marketing", "120 000", "131 500"),
        ("R&D", "480 000", "455 200"),
    ),
    "hr": (("team", "headcount", "open roles"), ("Data", "14", "3"), ("Support", "22", "5")),
    "legal": (
        ("clause", "draft A", "draft B"),
        ("Liability cap", "12 months fees", "24 months fees"),
        ("Governing law", "Ireland", "Germany"),
    ),
    "sales": (
        ("account", "stage", "ARR k$"),
        ("Contoso", "Negotiation", "320"),
        ("Fabrikam", "Proposal", "145"),
    ),
}


def language_for(rng: random.Random) -> str:
    return rng.choices(LANGUAGES, weights=(55, 12, 12, 11, 10))[0]


def task(rng: random.Random, topic: str, lang: str) -> str:
    return rng.choice(_TASKS[topic][lang])


def chat_title(rng: random.Random, topic: str, lang: str) -> str:
    text = task(rng, topic, lang)
    return text[:1].upper() + text[1:60]


def user_prompt(rng: random.Random, topic: str, lang: str) -> str:
    return rng.choice(_PROMPTS[lang]).format(task=task(rng, topic, lang))


def follow_up(rng: random.Random, lang: str) -> str:
    return rng.choice(_FOLLOW_UPS[lang])


def paragraphs(rng: random.Random, lang: str, count: int) -> list[str]:
    bank = _PARAGRAPHS[lang]
    return [bank[(rng.randrange(len(bank)) + i) % len(bank)] for i in range(count)]


def markdown_table(topic: str) -> str:
    rows = _TABLE_ROWS[topic]
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * len(rows[0])]
    lines += ["| " + " | ".join(row) + " |" for row in rows[1:]]
    return "\n".join(lines)


def table_rows(topic: str) -> tuple[tuple[str, ...], ...]:
    return _TABLE_ROWS[topic]


def code_snippet(rng: random.Random) -> str:
    return rng.choice(_CODE)


def yaml_config() -> str:
    return _YAML


def env_config() -> str:
    return _ENV


def json_config(topic: str) -> str:
    body = {
        "topic": topic,
        "retries": 3,
        "timeout_seconds": 30,
        "regions": ["eu-west-1", "us-east-1"],
    }
    return json.dumps(body, indent=2)


def assistant_reply(rng: random.Random, topic: str, lang: str) -> str:
    parts = [rng.choice(_OPENERS[lang]), *paragraphs(rng, lang, rng.randint(1, 3))]
    extra = rng.randrange(5)
    if extra == 0:
        parts.append("```\n" + code_snippet(rng) + "```")
    elif extra == 1:
        parts.append(markdown_table(topic))
    elif extra == 2:
        parts.append("```yaml\n" + yaml_config() + "```")
    return "\n\n".join(parts)


def long_text(rng: random.Random, topic: str, lang: str, min_chars: int) -> str:
    """Several paragraphs (and a table) until at least ``min_chars`` characters."""
    chunks: list[str] = []
    size = 0
    while size < min_chars:
        chunk = "\n\n".join([*paragraphs(rng, lang, 3), markdown_table(topic)])
        chunks.append(chunk)
        size += len(chunk) + 2
    return "\n\n".join(chunks)


_DRIVE_DOCS = {
    "engineering": ("Runbook - orders-api", "Incident review 2025-Q3", "Architecture overview"),
    "finance": ("Q3 close checklist", "Vendor master data", "Budget 2026 draft"),
    "hr": ("Onboarding guide", "Compensation bands", "Engagement survey results"),
    "legal": ("MSA template v4", "DPA standard clauses", "Contract tracker"),
    "sales": ("Renewal playbook", "Pricing sheet", "Pipeline review deck"),
}


def drive_search(rng: random.Random, topic: str) -> tuple[dict[str, object], str]:
    """(tool input, result text) of a Google Drive search."""
    docs = _DRIVE_DOCS[topic]
    query = rng.choice(docs).split(" ")[0].lower()
    found = "\n".join(f"- {name} (last edited by the {topic} team)" for name in docs)
    return {"query": query, "max_results": 5}, f"{len(docs)} documents found:\n{found}"


def code_execution(rng: random.Random, topic: str) -> tuple[dict[str, object], str]:
    """(tool input, result text) of running a short analysis script."""
    rows = _TABLE_ROWS[topic]
    script = (
        "import pandas as pd\n"
        f"df = pd.DataFrame({[list(r) for r in rows[1:]]!r}, columns={list(rows[0])!r})\n"
        "print(df.describe(include='all'))"
    )
    output = "\n".join("\t".join(row) for row in rows)
    return {"language": "python", "code": script}, output
