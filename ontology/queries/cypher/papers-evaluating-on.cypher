// Papers that evaluate on an entity, newest first: ../papers-evaluating-on.rq on the graph of
// `kg export --format cypher` or `--format neo4j-csv`. $name matches the entity's label or any
// alias, case-insensitively.
MATCH (entity)
WHERE toLower(entity.label) = toLower($name)
   OR any(alias IN coalesce(entity.altLabels, []) WHERE toLower(alias) = toLower($name))
MATCH (paper:Paper)-[:EVALUATES_ON]->(entity)
WHERE paper.arxivId IS NOT NULL AND paper.title IS NOT NULL AND paper.date IS NOT NULL
RETURN DISTINCT paper.iri AS paper, paper.arxivId AS arxivId, paper.title AS title,
       paper.date AS date, entity.iri AS entity
ORDER BY date DESC, arxivId
