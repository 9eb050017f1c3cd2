// Papers with a code repository, newest first, one row per repository: ../papers-with-code.rq
// in Cypher.
MATCH (paper:Paper)-[:HAS_CODE]->(repository:CodeRepository)
WHERE paper.arxivId IS NOT NULL AND paper.title IS NOT NULL AND paper.date IS NOT NULL
RETURN paper.iri AS paper, paper.arxivId AS arxivId, paper.title AS title, paper.date AS date,
       repository.iri AS repository
ORDER BY date DESC, arxivId, repository
