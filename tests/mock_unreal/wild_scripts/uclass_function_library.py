# ruff: noqa  (written in the styles found in the wild, on purpose)
import unreal


@unreal.uclass()
class PipelineLibrary(unreal.BlueprintFunctionLibrary):
    @unreal.ufunction(static=True, params=[str], ret=int, meta=dict(Category="Pipeline"))
    def count_assets(folder):
        return len(unreal.EditorAssetLibrary.list_assets(folder, recursive=True))

    @unreal.ufunction(static=True, ret=str)
    def engine_summary():
        return "{} on {}".format(
            unreal.SystemLibrary.get_game_name(), unreal.SystemLibrary.get_engine_version()
        )


unreal.log("Props folder holds {} assets".format(PipelineLibrary.count_assets("/Game/Props")))
unreal.log(PipelineLibrary.engine_summary())
