// The 10 benchmarks the most papers evaluate on: ../top-benchmarks.rq in Cypher.
MATCH (paper)-[:EVALUATES_ON]->(entity:Benchmark)
RETURN entity.iri AS entity, entity.label AS label, count(paper) AS papers
ORDER BY papers DESC, label, entity
LIMIT 10
